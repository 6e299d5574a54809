package io.quarkiverse.ambrosia.runtime.internal.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One business method of an immortal, as the build step saw it.
 */
public class HandlerDefinition {

    /** The method's identity in the log's {@code target} header: its name, or name(types) when overloaded. */
    private String id;
    /** {@code name(erased,parameter,types)}: matches the {@link java.lang.reflect.Method} an interceptor sees. */
    private String signature;
    private String methodName;
    /** Canonical generic parameter types, in Jackson's {@code TypeFactory.constructFromCanonical} syntax. */
    private List<String> parameterTypes = new ArrayList<>();
    private List<String> parameterNames = new ArrayList<>();
    /** Canonical generic return type, or {@code void}. */
    private String returnType;
    private boolean readOnly;
    /** Whether the method is a REST endpoint (has a JAX-RS HTTP method annotation). */
    private boolean endpoint;
    /** The position of the {@code @Key} parameter, or -1 (a singleton's method). */
    private int keyParameter = -1;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getSignature() {
        return signature;
    }

    public void setSignature(String signature) {
        this.signature = signature;
    }

    public String getMethodName() {
        return methodName;
    }

    public void setMethodName(String methodName) {
        this.methodName = methodName;
    }

    public List<String> getParameterTypes() {
        return parameterTypes;
    }

    public void setParameterTypes(List<String> parameterTypes) {
        this.parameterTypes = parameterTypes;
    }

    public List<String> getParameterNames() {
        return parameterNames;
    }

    public void setParameterNames(List<String> parameterNames) {
        this.parameterNames = parameterNames;
    }

    public String getReturnType() {
        return returnType;
    }

    public void setReturnType(String returnType) {
        this.returnType = returnType;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    public boolean isEndpoint() {
        return endpoint;
    }

    public void setEndpoint(boolean endpoint) {
        this.endpoint = endpoint;
    }

    public int getKeyParameter() {
        return keyParameter;
    }

    public void setKeyParameter(int keyParameter) {
        this.keyParameter = keyParameter;
    }
}
