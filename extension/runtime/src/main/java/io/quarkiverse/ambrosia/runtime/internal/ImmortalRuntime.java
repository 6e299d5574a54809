package io.quarkiverse.ambrosia.runtime.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.StateCodec;
import io.quarkiverse.ambrosia.runtime.AmbrosiaConfig;
import io.quarkiverse.ambrosia.runtime.internal.answer.AnswerSender;
import io.quarkiverse.ambrosia.runtime.internal.answer.RemoteAnswers;
import io.quarkiverse.ambrosia.runtime.internal.calls.ImmortalClients;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerContext;
import io.quarkiverse.ambrosia.runtime.internal.kafka.KafkaClients;
import io.quarkiverse.ambrosia.runtime.internal.kafka.SharedClients;
import io.quarkiverse.ambrosia.runtime.internal.log.AsyncCallSweep;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.model.HandlerDefinition;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalDefinition;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalRegistry;
import io.quarkiverse.ambrosia.runtime.internal.model.ImmortalType;
import io.quarkiverse.ambrosia.runtime.internal.spi.CallOptionsSource;
import io.quarkiverse.ambrosia.runtime.internal.spi.CallScope;
import io.quarkiverse.ambrosia.runtime.internal.spi.PrincipalSource;
import io.quarkiverse.ambrosia.runtime.internal.spi.ResultShape;
import io.quarkiverse.ambrosia.runtime.internal.task.LocalImmortal;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The immortals of this application instance, the Kafka clients and timers they share, and the integrations the
 * application brings (REST call options, security principals, result shapes).
 */
@Singleton
public class ImmortalRuntime {

    private static final Logger LOG = Logger.getLogger(ImmortalRuntime.class);

    private final ImmortalRegistry registry;
    private final AmbrosiaConfig config;
    private final StateCodec stateCodec;
    private final ObjectMapper objectMapper;
    private final KafkaClients clients;
    private final SharedClients shared;
    private final Map<String, LocalImmortal> immortals = new LinkedHashMap<>();
    private final Map<Class<?>, Optional<LocalImmortal>> byClass = new ConcurrentHashMap<>();
    private final PrincipalSource principals;
    private final CallScope callScope;
    private final CallOptionsSource options;
    private final ResultShape resultShape;
    // interface name -> method signature -> the method as a call target, for the generated @ImmortalInterface clients
    private final Map<String, Map<String, Handler>> clientMethods = new ConcurrentHashMap<>();
    private final Map<String, String> clientTargets = new ConcurrentHashMap<>();
    private final AsyncCallSweep sweep;
    private volatile ScheduledExecutorService timers;
    // the answers of keyed immortals' impulses, between the instance recording them and the one running them
    private final String instanceId;
    private volatile RemoteAnswers answersIn;
    private volatile AnswerSender answersOut;
    private volatile Producer<byte[], byte[]> answerProducer;

    @Inject
    public ImmortalRuntime(AmbrosiaConfig config, StateCodec stateCodec,
            ObjectMapper objectMapper, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            Instance<PrincipalSource> principals, Instance<CallScope> callScopes, Instance<CallOptionsSource> options,
            Instance<ResultShape> resultShapes) {
        this.registry = ImmortalRegistry.installed();
        this.config = config;
        this.stateCodec = stateCodec;
        this.objectMapper = objectMapper;
        this.clients = new KafkaClients(kafkaConfig, config.kafka());
        this.shared = new SharedClients(clients, config.appendTimeout());
        this.principals = principals.isResolvable() ? principals.get() : null;
        this.options = options.isResolvable() ? options.get() : null;
        this.callScope = callScopes.isResolvable() ? callScopes.get() : (principal, handler) -> handler.call();
        this.resultShape = resultShapes.isResolvable() ? resultShapes.get() : null;
        this.sweep = new AsyncCallSweep(immortals.values(), this::timers, config.appendTimeout().toMillis(),
                config.callTimeout().toMillis());
        this.instanceId = config.instanceId().orElseGet(() -> UUID.randomUUID().toString());
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
                        handler.isReadOnly() && !definition.isKeyed()
                                ? null
                                : registry.invoker(definition.getName(), handler.getId()),
                        objectMapper, resultShape));
            }
            LocalImmortal immortal = new LocalImmortal(new ImmortalType(definition, beanClass, handlers), this);
            immortals.put(definition.getName(), immortal);
        }
        for (ImmortalDefinition client : registry.clients()) {
            Map<String, Handler> methods = new LinkedHashMap<>();
            for (HandlerDefinition method : client.getHandlers()) {
                methods.put(method.getSignature(), new Handler(client.getName(), method, null, objectMapper, resultShape));
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
            throw new IllegalStateException("Call to " + interfaceName + "." + method.definition.getMethodName()
                    + " (immortal " + clientTargets.get(interfaceName) + " of another service) from outside an"
                    + " immortal: calls through an @ImmortalInterface are made by handlers of immortals, which record"
                    + " them; to send an impulse into another service, call its HTTP endpoints");
        }
        return current.immortal().callImmortal(clientTargets.get(interfaceName), method, arguments);
    }

    /**
     * Makes sure the sweep that times out asynchronous calls runs.
     */
    public void sweepAsyncCalls() {
        sweep.ensureRunning();
    }

    /**
     * @return the timer thread of call timeouts and of the sweep of asynchronous calls
     */
    public ScheduledExecutorService timers() {
        ScheduledExecutorService scheduler = timers;
        if (scheduler == null) {
            synchronized (this) {
                scheduler = timers;
                if (scheduler == null) {
                    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                        Thread thread = new Thread(runnable, "ambrosia-call-timeouts");
                        thread.setDaemon(true);
                        return thread;
                    });
                    // a reply cancels its call's timeout: do not keep thousands of cancelled tasks queued
                    executor.setRemoveOnCancelPolicy(true);
                    scheduler = executor;
                    timers = scheduler;
                }
            }
        }
        return scheduler;
    }

    /**
     * @return where an asynchronous call made on this thread continues: the caller's Vert.x context (known through the
     *         REST call options, so with Quarkus REST only), or a worker
     */
    public Executor continuation() {
        Executor context = options == null ? null : options.continuation();
        return context != null ? context : Infrastructure.getDefaultWorkerPool();
    }

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        if (immortals.isEmpty()) {
            return;
        }
        LOG.infof("Starting immortals %s on %s", immortals.keySet(), clients.bootstrapServers());
        if (immortals.values().stream().anyMatch(i -> i.type().keyed())) {
            startAnswers();
        }
        for (LocalImmortal immortal : immortals.values()) {
            immortal.start();
        }
    }

    /**
     * Opens this instance's answer topic: keyed immortals' calls recorded here are answered through it by the
     * instances that run their partitions.
     */
    private void startAnswers() {
        String topic = config.topicPrefix() + "answers." + instanceId;
        Map<String, Object> producer = clients.appendProducer("ambrosia-answers");
        // on a thread of its own: it may wait for a new answer topic's metadata
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Duration.ofSeconds(5).toMillis()));
        answerProducer = new KafkaProducer<>(producer);
        answersOut = new AnswerSender(() -> answerProducer, objectMapper);
        RemoteAnswers in = new RemoteAnswers(topic, objectMapper, (name, callId, outcome, answer) -> {
            LocalImmortal immortal = immortals.get(name);
            if (immortal != null) {
                immortal.answered(callId, outcome, answer);
            }
        });
        try {
            in.start(admin(), new KafkaConsumer<>(clients.consumer("ambrosia-answers-" + instanceId,
                    config.topicPrefix() + "answers", 500)),
                    config.replicationFactor().isPresent()
                            ? Optional.of((short) config.replicationFactor().getAsInt())
                            : Optional.empty(),
                    Duration.ofSeconds(30));
            answersIn = in;
        } catch (Exception e) {
            LOG.errorf("Cannot open the answer topic %s (%s): calls to keyed immortals recorded here are answered only"
                    + " when this instance runs their partition", topic, e);
        }
    }

    /**
     * @return this instance's answer topic, named in the keyed calls recorded here; {@code null} if it is not open
     */
    public String answerTopic() {
        RemoteAnswers in = answersIn;
        return in == null ? null : in.topic();
    }

    /**
     * @return what sends the answers to calls recorded by other instances, or {@code null} without keyed immortals
     */
    public AnswerSender answers() {
        return answersOut;
    }

    void stop(@Observes ShutdownEvent event) {
        ImmortalClients.use(null);
        for (LocalImmortal immortal : immortals.values()) {
            immortal.stop();
        }
        RemoteAnswers in = answersIn;
        if (in != null) {
            in.stop(admin(), config.instanceId().isEmpty());
        }
        if (answersOut != null) {
            answersOut.close();
            answerProducer.close(Duration.ofSeconds(2));
        }
        ScheduledExecutorService scheduler = timers;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        shared.close();
    }

    /**
     * @return the immortal whose bean class is the given class or one of its superclasses (the container subclasses
     *         intercepted beans)
     */
    public LocalImmortal immortalOf(Class<?> instanceClass) {
        return byClass.computeIfAbsent(instanceClass, c -> {
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (LocalImmortal immortal : immortals.values()) {
                    if (immortal.type().beanClass() == k) {
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
    public LocalImmortal immortalOfClassName(String className) {
        for (LocalImmortal immortal : immortals.values()) {
            if (immortal.type().beanClass().getName().equals(className)) {
                return immortal;
            }
        }
        return null;
    }

    public Collection<LocalImmortal> immortals() {
        return immortals.values();
    }

    /**
     * @return the immortal of that name, or {@code null}
     */
    public LocalImmortal immortal(String name) {
        return immortals.get(name);
    }

    public AmbrosiaConfig config() {
        return config;
    }

    public StateCodec stateCodec() {
        return stateCodec;
    }

    public ObjectMapper objectMapper() {
        return objectMapper;
    }

    /**
     * @return the name of the caller to record with a call, or {@code null}
     */
    public String principal() {
        return principals == null ? null : principals.currentPrincipal();
    }

    /**
     * @return what the caller asked for with the current call
     */
    public CallOptionsSource.CallOptions callOptions() {
        return options == null ? CallOptionsSource.CallOptions.NONE : options.current();
    }

    public CallScope callScope() {
        return callScope;
    }

    public KafkaClients clients() {
        return clients;
    }

    public Producer<byte[], byte[]> appendProducer() {
        return shared.appendProducer();
    }

    public Admin admin() {
        return shared.admin();
    }
}
