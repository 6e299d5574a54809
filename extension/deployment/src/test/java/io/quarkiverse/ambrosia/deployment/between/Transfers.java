package io.quarkiverse.ambrosia.deployment.between;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Immortals;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * The caller: transfers between accounts of the {@link Ledger} immortal, forks, and calls that fail.
 */
@Immortal
public class Transfers {

    List<String> notes = new ArrayList<>();
    int timeouts;

    @Inject
    Ledger ledger;

    @Inject
    LedgerByInterface remoteLedger;

    @Inject
    Ghost ghost;

    @Inject
    Nobody nobody;

    public Uni<String> transfer(String from, String to, long amount) {
        return ledger.withdraw(from, amount)
                .chain(left -> ledger.deposit(to, amount).map(balance -> from + "=" + left + " " + to + "=" + balance))
                .onFailure().recoverWithItem(failure -> "refused: " + failure.getMessage());
    }

    public int credit(String account, int times) {
        for (int i = 0; i < times; i++) {
            ledger.credit(account, 1);
        }
        return times;
    }

    public Uni<Long> depositThroughInterface(String account, long amount) {
        return remoteLedger.deposit(account, amount);
    }

    public Uni<String> closeThroughInterface(String account) {
        return describe(remoteLedger.close(account));
    }

    public Uni<String> depositAllThroughInterface(String account, List<String> amounts) {
        return describe(remoteLedger.depositAll(account, amounts));
    }

    public Uni<String> pingGhost() {
        return describe(ghost.ping("hello").onFailure().invoke(failure -> timeouts++));
    }

    public Uni<String> pingNobody() {
        return describe(Uni.createFrom().completionStage(nobody.ping("hello")));
    }

    public int fireAtNobody() {
        nobody.fire("hello");
        return 1;
    }

    public Uni<String> audit(String account) {
        return ledger.audit(account);
    }

    public Uni<Integer> note(String note) {
        notes.add(note);
        return Uni.createFrom().item(notes.size());
    }

    /**
     * @return the timeouts seen when this impulse ran
     */
    public int timeoutsSoFar() {
        return timeouts;
    }

    public Uni<String> callIdAfterReply(String account) {
        String before = Immortals.callId();
        return ledger.deposit(account, 0).map(balance -> before + " then " + Immortals.callId());
    }

    @ReadOnly
    public List<String> notes() {
        return notes;
    }

    private static <T> Uni<String> describe(Uni<T> call) {
        return call.map(value -> "ok: " + value)
                .onFailure().recoverWithItem(failure -> failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }
}
