package io.quarkiverse.ambrosia.deployment.reads;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * Read-only methods that call other methods: of this immortal, through its proxy or directly, and of {@link Archive}.
 */
@Immortal
public class Notebook {

    List<String> notes = new ArrayList<>();

    @Inject
    Notebook self;

    @Inject
    Archive archive;

    public int write(String note) {
        notes.add(note);
        return notes.size();
    }

    public Uni<Integer> writeLater(String note) {
        notes.add(note);
        return Uni.createFrom().item(notes.size());
    }

    /** A logged handler reading its own immortal through a read-only method. */
    public String writeAndCount(String note) {
        notes.add(note);
        return note + ": " + self.count() + " notes";
    }

    @ReadOnly
    public List<String> notes() {
        return notes;
    }

    @ReadOnly
    public int count() {
        return notes.size();
    }

    /** A read-only method making a logged call to its own immortal, through the proxy. */
    @ReadOnly
    public int writeFromRead(String note) {
        return self.write(note);
    }

    /** The same, calling the method directly. */
    @ReadOnly
    public int writeDirectlyFromRead(String note) {
        return write(note);
    }

    /** A read-only method making a logged call to its own immortal whose result it does not wait for. */
    @ReadOnly
    public String writeLaterFromRead(String note) {
        self.writeLater(note);
        return "sent";
    }

    /** Counted down when {@link #summary} holds the read lock. */
    static volatile java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);

    /** A read-only method reading its own immortal through another read-only method, after {@code pauseMillis}. */
    @ReadOnly
    public String summary(long pauseMillis) throws InterruptedException {
        int before = notes.size();
        reading.countDown();
        Thread.sleep(pauseMillis);
        return before + " then " + self.count() + " notes";
    }

    /** A read-only method making a logged call to another immortal. */
    @ReadOnly
    public int archiveFromRead() {
        return archive.store(notes.size());
    }
}
