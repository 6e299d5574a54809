package io.quarkiverse.ambrosia.deployment.between;

import java.util.List;

import io.quarkiverse.ambrosia.ImmortalInterface;
import io.smallrye.mutiny.Uni;

/**
 * {@link Ledger} as another service would see it through a published interface, with mistakes: a method it does not
 * have, and a parameter whose elements do not decode as the ledger's.
 */
@ImmortalInterface("Ledger")
public interface LedgerByInterface {

    Uni<Long> deposit(String account, long amount);

    Uni<Long> close(String account);

    Uni<Long> depositAll(String account, List<String> amounts);
}
