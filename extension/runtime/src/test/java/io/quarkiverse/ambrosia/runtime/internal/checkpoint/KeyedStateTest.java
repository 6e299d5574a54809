package io.quarkiverse.ambrosia.runtime.internal.checkpoint;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.model.KeyInstances;

/**
 * The keys of a keyed partition: each key's instance starts fresh, shares the bean's injected fields, and a
 * checkpoint's bytes are the documented framing, equal for equal states whatever order the keys came in.
 */
class KeyedStateTest {

    /** Stands for an injected bean. */
    static final class Helper {
    }

    static class Account {
        long balance;
        List<String> history = new ArrayList<>();
        Map<String, Long> holds = new TreeMap<>();
        @Inject
        Helper helper;
    }

    private final Account bean = new Account();
    private final JsonStateCodec codec = new JsonStateCodec((ObjectMapper) null);

    KeyedStateTest() {
        bean.helper = new Helper();
        bean.balance = 999;
    }

    private KeyedState state() throws IOException {
        KeyedState state = new KeyedState(codec, Account.class, new KeyInstances(Account.class, () -> bean));
        state.ensureCreated();
        return state;
    }

    @Test
    void eachKeyStartsFreshWithTheBeansInjectedFields() throws IOException {
        KeyedState state = state();
        Account alice = (Account) state.instanceFor("alice");
        Account bob = (Account) state.instanceFor("bob");
        assertThat(alice).isNotSameAs(bob).isNotSameAs(bean);
        assertThat(alice.balance).isZero();
        assertThat(alice.helper).isSameAs(bean.helper);
        alice.balance = 5;
        assertThat(state.instanceFor("alice")).isSameAs(alice);
        assertThat(bob.balance).isZero();
        // a read of a key never called is a fresh instance, not kept
        assertThat(((Account) state.readInstance("carol")).balance).isZero();
        assertThat(state.keys()).isEqualTo(2);
    }

    @Test
    void aCheckpointIsTheDocumentedFramingInKeyOrder() throws IOException {
        KeyedState state = state();
        ((Account) state.instanceFor("bob")).balance = 7;
        ((Account) state.instanceFor("alice")).balance = 5;
        byte[] encoded = state.encode();
        byte[] alice = "{\"balance\":5,\"history\":[],\"holds\":{}}".getBytes(UTF_8);
        byte[] bob = "{\"balance\":7,\"history\":[],\"holds\":{}}".getBytes(UTF_8);
        String expected = "00000005" + HexFormat.of().formatHex("alice".getBytes(UTF_8))
                + String.format("%08x", alice.length) + HexFormat.of().formatHex(alice)
                + "00000003" + HexFormat.of().formatHex("bob".getBytes(UTF_8))
                + String.format("%08x", bob.length) + HexFormat.of().formatHex(bob);
        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(expected);

        KeyedState other = state();
        ((Account) other.instanceFor("alice")).balance = 5;
        ((Account) other.instanceFor("bob")).balance = 7;
        assertThat(other.encode()).isEqualTo(encoded);
    }

    @Test
    void aRestoreGivesEachKeyItsStateAndForgetsTheOthers() throws IOException {
        KeyedState state = state();
        Account alice = (Account) state.instanceFor("alice");
        alice.balance = 5;
        alice.history.add("deposit");
        alice.holds.put("h1", 2L);
        ((Account) state.instanceFor("键")).balance = 8;
        byte[] checkpoint = state.encode();

        KeyedState restored = state();
        restored.instanceFor("zed");
        restored.restore(checkpoint);
        assertThat(restored.keys()).isEqualTo(2);
        Account back = (Account) restored.instanceFor("alice");
        assertThat(back.balance).isEqualTo(5);
        assertThat(back.history).containsExactly("deposit");
        assertThat(back.holds).isInstanceOf(TreeMap.class).containsEntry("h1", 2L);
        assertThat(back.helper).isSameAs(bean.helper);
        assertThat(((Account) restored.instanceFor("键")).balance).isEqualTo(8);
        assertThat(restored.encode()).isEqualTo(checkpoint);

        restored.restore(null);
        assertThat(restored.keys()).isZero();
        assertThat(restored.encode()).isEmpty();
    }

    @Test
    void aTornStateIsRefusedNamingWhereItEnds() throws IOException {
        KeyedState state = state();
        ((Account) state.instanceFor("alice")).balance = 5;
        byte[] encoded = state.encode();
        assertThatThrownBy(() -> state().restore(Arrays.copyOf(encoded, encoded.length - 3)))
                .isInstanceOf(IOException.class).hasMessageContaining("state of key 'alice'");
        assertThatThrownBy(() -> state().restore(Arrays.copyOf(encoded, 2))).isInstanceOf(IOException.class)
                .hasMessage("the keyed state ends inside the length of a key");
        assertThat(state.codecName()).isEqualTo("keyed-json");
    }
}
