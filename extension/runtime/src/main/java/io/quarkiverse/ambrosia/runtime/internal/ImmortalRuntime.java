package io.quarkiverse.ambrosia.runtime.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.StateCodec;
import io.quarkiverse.ambrosia.runtime.AmbrosiaConfig;
import io.quarkiverse.ambrosia.runtime.internal.calls.ImmortalClients;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerContext;
import io.quarkiverse.ambrosia.runtime.internal.kafka.KafkaClients;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.model.HandlerDefinition;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalDefinition;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalRegistry;
import io.quarkiverse.ambrosia.runtime.internal.spi.CallOptionsSource;
import io.quarkiverse.ambrosia.runtime.internal.spi.CallScope;
import io.quarkiverse.ambrosia.runtime.internal.spi.PrincipalSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The immortals of this application instance and the Kafka clients they share.
 */
@Singleton
public class ImmortalRuntime {

    private static final Logger LOG = Logger.getLogger(ImmortalRuntime.class);

    private final ImmortalRegistry registry;
    private final AmbrosiaConfig config;
    private final StateCodec stateCodec;
    private final ObjectMapper objectMapper;
    private final KafkaClients clients;
    private final Map<String, ImmortalInstance> immortals = new LinkedHashMap<>();
    private final Map<Class<?>, Optional<ImmortalInstance>> byClass = new ConcurrentHashMap<>();
    private final PrincipalSource principals;
    private final CallScope callScope;
    private final CallOptionsSource options;
    // interface name -> method signature -> the method as a call target, for the generated @ImmortalInterface clients
    private final Map<String, Map<String, Handler>> clientMethods = new ConcurrentHashMap<>();
    private final Map<String, String> clientTargets = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService timeouts;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile Producer<byte[], byte[]> appendProducer;
    private volatile Admin admin;

    @Inject
    public ImmortalRuntime(AmbrosiaConfig config, StateCodec stateCodec,
            ObjectMapper objectMapper, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            Instance<PrincipalSource> principals, Instance<CallScope> callScopes, Instance<CallOptionsSource> options) {
        this.registry = ImmortalRegistry.installed();
        this.config = config;
        this.stateCodec = stateCodec;
        this.objectMapper = objectMapper;
        this.clients = new KafkaClients(kafkaConfig, config.kafka());
        this.principals = principals.isResolvable() ? principals.get() : null;
        this.options = options.isResolvable() ? options.get() : null;
        this.callScope = callScopes.isResolvable() ? callScopes.get() : (principal, handler) -> handler.call();
    }

    @PostConstruct
    void createImmortals() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (ImmortalDefinition definition : registry.definitions()) {
            Class<?> beanClass;
            try {
                beanClass = Class.forName(definition.getBeanClass(), false, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Immortal class " + definition.getBeanClass() + " not found", e);
            }
            Map<String, Handler> handlers = new LinkedHashMap<>();
            for (HandlerDefinition handler : definition.getHandlers()) {
                // read-only methods run on the caller's thread: they need no invoker
                handlers.put(handler.getId(), new Handler(definition.getName(), handler,
                        handler.isReadOnly() ? null : registry.invoker(definition.getName(), handler.getId()),
                        objectMapper));
            }
            immortals.put(definition.getName(), new ImmortalInstance(definition, this, beanClass, handlers));
        }
        for (ImmortalDefinition client : registry.clients()) {
            Map<String, Handler> methods = new LinkedHashMap<>();
            for (HandlerDefinition method : client.getHandlers()) {
                methods.put(method.getSignature(), new Handler(client.getName(), method, null, objectMapper));
            }
            clientMethods.put(client.getBeanClass(), methods);
            clientTargets.put(client.getBeanClass(), client.getName());
        }
        ImmortalClients.use(this);
    }

    /**
     * A call through a generated {@code @ImmortalInterface} client.
     */
    public Object callThroughInterface(String interfaceName, String signature, Object[] arguments) {
        Handler method = clientMethods.getOrDefault(interfaceName, Map.of()).get(signature);
        if (method == null) {
            throw new IllegalStateException("No client method " + interfaceName + "." + signature);
        }
        HandlerContext current = HandlerContext.current();
        if (current == null) {
            throw new IllegalStateException("Call to " + interfaceName + "." + method.definition.getMethodName() + " (immortal "
                    + clientTargets.get(interfaceName) + " of another service) from outside an immortal: calls through an"
                    + " @ImmortalInterface are made by handlers of immortals, which record them; to send an impulse"
                    + " into another service, call its HTTP endpoints");
        }
        return current.immortal().callImmortal(clientTargets.get(interfaceName), method, arguments);
    }

    /**
     * Arms a call's timeout: at the deadline the caller records it in its log, unless the reply came first.
     */
    void scheduleTimeout(ImmortalInstance immortal, Calls.Outstanding call, long delayMillis) {
        call.timer = timers().schedule(() -> immortal.recordTimeout(call), delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Makes sure the sweep that times out asynchronous calls runs: every tenth of the shorter of the append and call
     * timeouts (10 ms to 1 s), while any asynchronous call is pending. Cheaper than a timer per call.
     */
    void sweepAsyncCalls() {
        if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
            long period = Math.max(10, Math.min(1000,
                    Math.min(config.appendTimeout().toMillis(), config.callTimeout().toMillis()) / 10));
            timers().schedule(() -> sweep(period), period, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep(long period) {
        boolean any = false;
        long now = System.nanoTime();
        for (ImmortalInstance immortal : immortals.values()) {
            any |= immortal.checkAsyncCalls(now);
        }
        if (any) {
            timers().schedule(() -> sweep(period), period, TimeUnit.MILLISECONDS);
            return;
        }
        sweeping.set(false);
        // a call that started after the loop above and saw the sweep still on must not wait unswept
        for (ImmortalInstance immortal : immortals.values()) {
            if (immortal.checkAsyncCalls(now)) {
                sweepAsyncCalls();
                return;
            }
        }
    }

    private ScheduledExecutorService timers() {
        ScheduledExecutorService scheduler = timeouts;
        if (scheduler == null) {
            synchronized (this) {
                scheduler = timeouts;
                if (scheduler == null) {
                    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                        Thread thread = new Thread(runnable, "ambrosia-call-timeouts");
                        thread.setDaemon(true);
                        return thread;
                    });
                    // a reply cancels its call's timeout: do not keep thousands of cancelled tasks queued
                    executor.setRemoveOnCancelPolicy(true);
                    scheduler = executor;
                    timeouts = scheduler;
                }
            }
        }
        return scheduler;
    }

    /**
     * @return where an asynchronous call made on this thread continues: the caller's Vert.x context (known through the
     *         REST call options, so with Quarkus REST only), or a worker
     */
    Executor continuation() {
        Executor context = options == null ? null : options.continuation();
        return context != null ? context : Infrastructure.getDefaultWorkerPool();
    }

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        if (immortals.isEmpty()) {
            return;
        }
        LOG.infof("Starting immortals %s on %s", immortals.keySet(), clients.bootstrapServers());
        for (ImmortalInstance immortal : immortals.values()) {
            immortal.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        ImmortalClients.use(null);
        for (ImmortalInstance immortal : immortals.values()) {
            immortal.stop();
        }
        ScheduledExecutorService scheduler = timeouts;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        Producer<byte[], byte[]> producer = appendProducer;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        Admin current = admin;
        if (current != null) {
            current.close(Duration.ofSeconds(5));
        }
    }

    /**
     * @return the immortal whose bean class is the given class or one of its superclasses (the container subclasses
     *         intercepted beans)
     */
    public ImmortalInstance immortalOf(Class<?> instanceClass) {
        return byClass.computeIfAbsent(instanceClass, c -> {
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (ImmortalInstance immortal : immortals.values()) {
                    if (immortal.beanClass == k) {
                        return Optional.of(immortal);
                    }
                }
            }
            return Optional.empty();
        }).orElse(null);
    }

    /**
     * @return the immortal whose bean class has that name, or {@code null}
     */
    public ImmortalInstance immortalOfClassName(String className) {
        for (ImmortalInstance immortal : immortals.values()) {
            if (immortal.beanClass.getName().equals(className)) {
                return immortal;
            }
        }
        return null;
    }

    public Collection<ImmortalInstance> immortals() {
        return immortals.values();
    }

    AmbrosiaConfig config() {
        return config;
    }

    StateCodec stateCodec() {
        return stateCodec;
    }

    ObjectMapper objectMapper() {
        return objectMapper;
    }

    /**
     * @return the name of the caller to record with a call, or {@code null}
     */
    String principal() {
        return principals == null ? null : principals.currentPrincipal();
    }

    /**
     * @return what the caller asked for with the current call
     */
    CallOptionsSource.CallOptions callOptions() {
        return options == null ? CallOptionsSource.CallOptions.NONE : options.current();
    }

    /**
     * @return the immortal of that name, or {@code null}
     */
    public ImmortalInstance immortal(String name) {
        return immortals.get(name);
    }

    CallScope callScope() {
        return callScope;
    }

    KafkaClients clients() {
        return clients;
    }

    Producer<byte[], byte[]> appendProducer() {
        Producer<byte[], byte[]> producer = appendProducer;
        if (producer == null) {
            synchronized (this) {
                producer = appendProducer;
                if (producer == null) {
                    Map<String, Object> settings = clients.appendProducer("ambrosia-append");
                    long append = config.appendTimeout().toMillis();
                    // never block a caller (an event loop, often): without the log's metadata, or with the buffer
                    // full, send() and partitionsFor() fail at once, and the call is certainly not recorded. Waiting
                    // for metadata would not help in an outage: once no broker is reachable the producer rebootstraps
                    // (metadata.recovery.strategy), which forgets every topic's partitions, so each call would wait
                    // the whole max.block.ms. A first call waits for the metadata by itself (LogMetadata).
                    settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0");
                    // and keep the logs' metadata while the broker is reachable, however long an immortal is idle
                    settings.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, Long.toString(Long.MAX_VALUE / 2));
                    // and the producer stops retrying a call about when its caller is told the outcome is unknown, so
                    // a call is not recorded long after that answer (one request already at the broker still may be)
                    long request = Math.min(millis(settings.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG), 30_000), append);
                    long linger = millis(settings.get(ProducerConfig.LINGER_MS_CONFIG), 0);
                    settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(request));
                    settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(append, linger + request)));
                    producer = new KafkaProducer<>(settings);
                    appendProducer = producer;
                }
            }
        }
        return producer;
    }

    private static long millis(Object setting, long otherwise) {
        return setting == null ? otherwise : Long.parseLong(setting.toString().trim());
    }

    Admin admin() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                current = admin;
                if (current == null) {
                    current = Admin.create(clients.admin("ambrosia-admin"));
                    admin = current;
                }
            }
        }
        return current;
    }
}
