package io.quarkiverse.ambrosia.runtime.internal.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What the build step found out about one immortal. Recorded at build time, read at runtime (a plain bean so the
 * bytecode recorder can serialize it).
 */
public class ImmortalDefinition {

    private String name;
    private String beanClass;
    private String beanId;
    private List<HandlerDefinition> handlers = new ArrayList<>();
    /** Whether its methods take a {@code @Key}: one state per key. */
    private boolean keyed;
    /** The partitions of its log: 1 for a singleton. */
    private int partitions = 1;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getBeanClass() {
        return beanClass;
    }

    public void setBeanClass(String beanClass) {
        this.beanClass = beanClass;
    }

    public String getBeanId() {
        return beanId;
    }

    public void setBeanId(String beanId) {
        this.beanId = beanId;
    }

    public List<HandlerDefinition> getHandlers() {
        return handlers;
    }

    public void setHandlers(List<HandlerDefinition> handlers) {
        this.handlers = handlers;
    }

    public boolean isKeyed() {
        return keyed;
    }

    public void setKeyed(boolean keyed) {
        this.keyed = keyed;
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }
}
