package io.quarkiverse.ambrosia.runtime.internal.model;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates the instances of a keyed immortal, one per key: the class's own no-argument constructor (so its field
 * initializers give the key's fresh state), with the injected fields (other immortals, configuration) given the values
 * the container injected into the immortal's bean. Such an instance is no bean: its methods run as the dispatcher calls
 * them, without interceptors, and a call from one of them to itself is a plain Java call.
 */
public final class KeyInstances {

    private final Class<?> beanClass;
    private final Supplier<Object> bean;
    private volatile Constructor<?> constructor;
    private volatile Field[] injected;
    private volatile Object[] values;

    /**
     * @param bean the immortal's bean, whose injected values each instance shares
     */
    public KeyInstances(Class<?> beanClass, Supplier<Object> bean) {
        this.beanClass = beanClass;
        this.bean = bean;
    }

    /**
     * @return a new instance with a fresh state
     */
    public Object create() {
        if (constructor == null) {
            prepare();
        }
        try {
            Object instance = constructor.newInstance();
            for (int i = 0; i < injected.length; i++) {
                injected[i].set(instance, values[i]);
            }
            return instance;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create an instance of keyed immortal " + beanClass.getName()
                    + " with its no-argument constructor: " + e, e);
        }
    }

    private synchronized void prepare() {
        if (constructor != null) {
            return;
        }
        Object source = bean.get();
        List<Field> fields = new ArrayList<>();
        List<Object> sourceValues = new ArrayList<>();
        try {
            for (Class<?> k = beanClass; k != null && k != Object.class; k = k.getSuperclass()) {
                for (Field field : k.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())
                            || !(field.isAnnotationPresent(Inject.class) || field.isAnnotationPresent(ConfigProperty.class))) {
                        continue;
                    }
                    field.setAccessible(true);
                    fields.add(field);
                    sourceValues.add(field.get(source));
                }
            }
            Constructor<?> noArguments = beanClass.getDeclaredConstructor();
            noArguments.setAccessible(true);
            injected = fields.toArray(Field[]::new);
            values = sourceValues.toArray();
            constructor = noArguments;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Keyed immortal " + beanClass.getName() + " cannot be instantiated per key: "
                    + e, e);
        }
    }
}
