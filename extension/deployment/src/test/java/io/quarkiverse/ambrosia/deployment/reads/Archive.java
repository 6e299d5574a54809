package io.quarkiverse.ambrosia.deployment.reads;

import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ReadOnly;

/**
 * Another immortal, called by {@link Notebook}'s read-only methods.
 */
@Immortal
public class Archive {

    List<Integer> counts = new ArrayList<>();

    public int store(int count) {
        counts.add(count);
        return counts.size();
    }

    @ReadOnly
    public List<Integer> counts() {
        return counts;
    }
}
