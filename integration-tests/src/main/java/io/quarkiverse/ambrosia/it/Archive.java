package io.quarkiverse.ambrosia.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Immortals;
import io.quarkiverse.ambrosia.ReadOnly;

/**
 * An immortal with a large state: each {@code grow} adds pseudo-random megabytes drawn from the log's randomness.
 */
@Immortal
public class Archive {

    static final int MEGABYTE = 1024 * 1024;

    List<String> blobs = new ArrayList<>();

    public int grow(int megabytes) {
        RandomGenerator random = Immortals.random();
        for (int m = 0; m < megabytes; m++) {
            char[] blob = new char[MEGABYTE];
            for (int i = 0; i < blob.length; i++) {
                blob[i] = (char) ('a' + random.nextInt(26));
            }
            blobs.add(new String(blob));
        }
        return blobs.size();
    }

    @ReadOnly
    public String digest() throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (String blob : blobs) {
            digest.update(blob.getBytes(UTF_8));
        }
        return blobs.size() + ":" + HexFormat.of().formatHex(digest.digest());
    }
}
