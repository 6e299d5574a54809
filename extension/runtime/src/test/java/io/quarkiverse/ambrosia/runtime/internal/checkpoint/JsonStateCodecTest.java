package io.quarkiverse.ambrosia.runtime.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * A restore gives the state fields the concrete types a fresh instance gives them, whatever the declared type.
 */
class JsonStateCodecTest {

    static class Accounts {
        Map<String, Long> balances = new TreeMap<>();
        Set<String> owners = new TreeSet<>();
        Map<String, Set<String>> tags = new TreeMap<>();
        Map<String, TreeSet<String>> sortedTags = new HashMap<>();
        SortedMap<String, Long> limits = new TreeMap<>();
        Collection<String> queue = new ArrayDeque<>();
        Deque<String> declaredDeque = new ArrayDeque<>();
        Map<String, Long> plain = new HashMap<>();
        List<String> fixed = List.of();
        Map<String, Long> none;
    }

    @Test
    void aRestoredFieldHasTheTypeOfItsInitialValue() throws Exception {
        JsonStateCodec codec = new JsonStateCodec((com.fasterxml.jackson.databind.ObjectMapper) null);
        codec.encodeInitial(new Accounts(), Accounts.class);

        Accounts before = new Accounts();
        for (String id : List.of("carol", "alice", "bob")) {
            before.balances.put(id, (long) id.length());
            before.owners.add(id);
            before.tags.put(id, new TreeSet<>(List.of("z", id)));
            before.sortedTags.put(id, new TreeSet<>(List.of("z", id)));
            before.limits.put(id, 10L);
            before.queue.add(id);
            before.plain.put(id, 1L);
        }
        before.fixed = List.of("x");
        before.none = new LinkedHashMap<>(Map.of("k", 1L));
        byte[] state = codec.encode(before, Accounts.class);

        // a bean whose fields another restore (or a handler) left with other types
        Accounts restored = new Accounts();
        restored.balances = new HashMap<>();
        restored.tags = new HashMap<>();
        codec.decodeInto(state, restored, Accounts.class);

        assertThat(restored.balances).isExactlyInstanceOf(TreeMap.class);
        assertThat(restored.balances.keySet()).containsExactly("alice", "bob", "carol");
        assertThat(restored.owners).isExactlyInstanceOf(TreeSet.class).containsExactly("alice", "bob", "carol");
        assertThat(restored.tags).isExactlyInstanceOf(TreeMap.class);
        assertThat(restored.tags.keySet()).containsExactly("alice", "bob", "carol");
        assertThat(restored.sortedTags).isExactlyInstanceOf(HashMap.class);
        assertThat(restored.sortedTags.get("bob")).isExactlyInstanceOf(TreeSet.class).containsExactly("bob", "z");
        assertThat(restored.limits).isExactlyInstanceOf(TreeMap.class);
        assertThat(restored.queue).isExactlyInstanceOf(ArrayDeque.class).containsExactly("carol", "alice", "bob");
        assertThat(restored.declaredDeque).isExactlyInstanceOf(ArrayDeque.class);
        assertThat(restored.plain).isExactlyInstanceOf(HashMap.class);
        // List.of()'s class cannot be created empty: the declared type's default, as before
        assertThat(restored.fixed).isExactlyInstanceOf(ArrayList.class).containsExactly("x");
        // null in a fresh instance: the declared type's default
        assertThat(restored.none).isExactlyInstanceOf(LinkedHashMap.class).containsEntry("k", 1L);
        assertThat(codec.encode(restored, Accounts.class)).isEqualTo(state);
    }
}
