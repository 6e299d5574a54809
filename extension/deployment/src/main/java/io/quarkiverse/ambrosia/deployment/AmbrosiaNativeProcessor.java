package io.quarkiverse.ambrosia.deployment;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.FieldInfo;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

import io.quarkiverse.ambrosia.runtime.internal.answer.ImpulseTable;
import io.quarkiverse.ambrosia.runtime.internal.checkpoint.SystemStateCodec;
import io.quarkiverse.ambrosia.runtime.internal.commit.CommittedPosition;
import io.quarkiverse.ambrosia.runtime.internal.model.StoredFailures;
import io.quarkiverse.ambrosia.runtime.internal.wire.CheckpointManifest;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveHierarchyBuildItem;

/**
 * What a native image needs: the state codec reads and writes immortals' fields, and Jackson handles their state,
 * argument and result types, through reflection that must be registered at build time.
 */
class AmbrosiaNativeProcessor {

    @BuildStep
    void registerForReflection(List<ImmortalBuildItem> immortals, List<ImmortalClientBuildItem> clients,
            CombinedIndexBuildItem combinedIndex, BuildProducer<ReflectiveClassBuildItem> classes,
            BuildProducer<ReflectiveHierarchyBuildItem> hierarchies) {
        IndexView index = combinedIndex.getIndex();
        // what the extension itself writes as JSON: manifests, the checkpoint's system part, commit metadata, replies
        classes.produce(ReflectiveClassBuildItem.builder(CheckpointManifest.class, ImpulseTable.Entry.class,
                SystemStateCodec.SystemState.class, CommittedPosition.Committed.class, StoredFailures.Reply.class)
                .constructors().methods().fields()
                .reason(getClass().getName()).build());
        // a restore creates the class a state field's initial value has (JsonStateCodec learns it at runtime), looking
        // for its no-argument constructor: the JDK's collections are the usual ones
        classes.produce(ReflectiveClassBuildItem.builder(ArrayList.class, LinkedList.class, ArrayDeque.class,
                HashSet.class, LinkedHashSet.class, TreeSet.class, HashMap.class, LinkedHashMap.class, TreeMap.class,
                ConcurrentHashMap.class, ConcurrentSkipListMap.class, ConcurrentSkipListSet.class,
                CopyOnWriteArrayList.class).constructors().reason(getClass().getName()).build());
        for (ImmortalClientBuildItem client : clients) {
            String source = "@ImmortalInterface " + client.definition().getBeanClass();
            ClassInfo api = index.getClassByName(DotName.createSimple(client.definition().getBeanClass()));
            for (MethodInfo method : api == null ? List.<MethodInfo>of() : api.methods()) {
                for (Type parameter : method.parameterTypes()) {
                    hierarchy(hierarchies, parameter, index, source);
                }
                hierarchy(hierarchies, ImmortalValidator.resultType(method.returnType()), index, source);
            }
        }
        for (ImmortalBuildItem immortal : immortals) {
            String source = "@Immortal " + immortal.definition().getBeanClass();
            ClassInfo clazz = index.getClassByName(DotName.createSimple(immortal.definition().getBeanClass()));
            if (immortal.definition().isKeyed()) {
                // one instance per key: created with the no-argument constructor, injected fields copied from the bean
                classes.produce(ReflectiveClassBuildItem.builder(clazz.name().toString()).constructors().fields()
                        .reason(source).build());
            }
            for (ClassInfo k = clazz; k != null && !k.name().equals(AmbrosiaDotNames.OBJECT); k = superclass(index, k)) {
                classes.produce(ReflectiveClassBuildItem.builder(k.name().toString()).fields().reason(source).build());
                for (FieldInfo field : k.fields()) {
                    if (SerializableTypes.isStateField(field)) {
                        hierarchy(hierarchies, field.type(), index, source);
                    }
                }
            }
            for (MethodInfo method : ImmortalValidator.handlerMethods(clazz, index)) {
                for (Type parameter : method.parameterTypes()) {
                    hierarchy(hierarchies, parameter, index, source);
                }
                hierarchy(hierarchies, ImmortalValidator.resultType(method.returnType()), index, source);
            }
        }
    }

    private static void hierarchy(BuildProducer<ReflectiveHierarchyBuildItem> hierarchies, Type type, IndexView index,
            String source) {
        if (type.kind() == Type.Kind.VOID || type.kind() == Type.Kind.PRIMITIVE) {
            return;
        }
        hierarchies.produce(ReflectiveHierarchyBuildItem.builder(type).index(index).source(source).build());
    }

    private static ClassInfo superclass(IndexView index, ClassInfo clazz) {
        return clazz.superName() == null ? null : index.getClassByName(clazz.superName());
    }
}
