package io.quarkiverse.ambrosia.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.jboss.logging.Logger;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A single-node Kafka broker (combined KRaft broker and controller) running inside this JVM, for tests and dev mode.
 * <p>
 * Start one with {@code EmbeddedKafkaBroker.builder().start()} and point clients at {@link #bootstrapServers()}.
 * Without {@link Builder#logDir(Path)} the data lives in a temporary directory deleted by {@link #close()}; with it the
 * data, the cluster id and the port survive restarts. Tests that only need "a broker" should call
 * {@link #sharedBootstrapServers()}, which starts one broker per JVM.
 * <p>
 * The broker is configured for a single node (replication factor 1 for the internal topics, no initial rebalance
 * delay), so transactions and consumer groups work out of the box. A broker fault never exits the JVM: Kafka's exit and
 * halt procedures are replaced by logging.
 * <p>
 * For tests of security, {@link Builder#saslPlain(String, String)} makes clients authenticate (SASL/PLAIN, without
 * TLS) as the users given to the builder, and {@link Builder#authorizer()} makes the broker enforce ACLs; connect with
 * {@link #clientProperties(String)}:
 *
 * <pre>
 * EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
 *         .saslPlain("admin", "admin-secret") // the broker's own user, a super user
 *         .user("app", "app-secret")
 *         .authorizer()
 *         .start();
 * Admin admin = Admin.create(new HashMap&lt;&gt;(broker.clientProperties("admin"))); // may create ACLs for "app"
 * </pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /**
     * System property holding the address of the JVM-wide broker started by {@link #sharedBootstrapServers()}. Set it
     * before the first call to use an external broker instead.
     */
    public static final String SHARED_BOOTSTRAP_SERVERS_PROPERTY = "ambrosia.embedded-kafka.bootstrap-servers";

    /** File in a persistent log directory holding the cluster id the directory was formatted with. */
    public static final String CLUSTER_ID_FILE = "ambrosia-cluster.id";

    /** File in a persistent log directory holding the port the broker last listened on. */
    public static final String PORT_FILE = "ambrosia-broker.port";

    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaBroker.class);

    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String PLAIN_LISTENER = "PLAINTEXT";
    private static final String SASL_LISTENER = "SASL_PLAINTEXT";
    private static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String DATA_DIR = "kraft";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_PORT_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final Path logDir;
    private final boolean temporary;
    private final String clusterId;
    private final int port;
    private final Duration startTime;
    // user -> password of the SASL/PLAIN listener, the broker's own first; empty for a PLAINTEXT listener
    private final Map<String, String> users;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path logDir, boolean temporary, String clusterId, int port,
            Duration startTime, Map<String, String> users) {
        this.server = server;
        this.logDir = logDir;
        this.temporary = temporary;
        this.clusterId = clusterId;
        this.port = port;
        this.startTime = startTime;
        this.users = users;
    }

    /**
     * @return a builder; call {@link Builder#start()} to get a running broker
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the address clients connect to, {@code 127.0.0.1:PORT}
     */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /**
     * The settings a client needs to connect as the given user: {@code bootstrap.servers}, {@code security.protocol},
     * {@code sasl.mechanism} and {@code sasl.jaas.config}. As {@code kafka.}-prefixed system properties they connect a
     * Quarkus application.
     *
     * @param user one of the users of {@link Builder#saslPlain(String, String)} and {@link Builder#user(String, String)}
     * @return the client properties, a new mutable map
     * @throws IllegalArgumentException if the broker has no SASL listener or no such user
     */
    public Map<String, String> clientProperties(String user) {
        String password = users.get(user);
        if (password == null) {
            throw new IllegalArgumentException(users.isEmpty()
                    ? "The broker on " + bootstrapServers() + " has a PLAINTEXT listener: connect with bootstrapServers()"
                            + " alone, or start it with Builder.saslPlain(user, password)"
                    : "No user " + user + " on the broker on " + bootstrapServers() + "; its users are " + users.keySet());
        }
        return saslClientProperties(bootstrapServers(), user, password);
    }

    private static Map<String, String> saslClientProperties(String bootstrap, String user, String password) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SASL_LISTENER);
        properties.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, PlainLoginModule.class.getName() + " required username=\"" + user
                + "\" password=\"" + password + "\";");
        return properties;
    }

    /**
     * @return the port of the client listener: {@code PLAINTEXT}, or {@code SASL_PLAINTEXT} with
     *         {@link Builder#saslPlain(String, String)}
     */
    public int port() {
        return port;
    }

    /**
     * @return the directory holding the broker's data (a temporary one unless {@link Builder#logDir(Path)} was given)
     */
    public Path logDir() {
        return logDir;
    }

    /**
     * @return the KRaft cluster id, stable across restarts on the same log directory
     */
    public String clusterId() {
        return clusterId;
    }

    /**
     * @return how long {@link Builder#start()} took until the broker served admin and transactional requests
     */
    public Duration startTime() {
        return startTime;
    }

    /**
     * Shuts the broker down cleanly and waits for it. A temporary log directory is deleted. Calling it again does
     * nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long begin = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (temporary) {
                deleteRecursively(logDir);
            }
        }
        LOG.debugf("Embedded Kafka broker %s stopped in %d ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    /**
     * Returns the address of the one broker this JVM shares between all tests, starting it on first use.
     * <p>
     * The address is kept in the system property {@value #SHARED_BOOTSTRAP_SERVERS_PROPERTY}, so that every class
     * loader (Quarkus loads test classes more than once) sees the same broker; if the property is already set, its
     * value is returned and nothing is started. The broker uses a temporary directory and is closed by a shutdown hook.
     *
     * @return the bootstrap servers of the shared broker
     */
    public static String sharedBootstrapServers() {
        String existing = System.getProperty(SHARED_BOOTSTRAP_SERVERS_PROPERTY);
        if (existing != null) {
            return existing;
        }
        Class<?> systemCopy = systemClassLoaderCopy();
        if (systemCopy != null) {
            // A Quarkus class loader is closed when its application stops, but this broker outlives it: let the
            // class loader that lives as long as the JVM own the broker's classes and threads.
            try {
                return (String) systemCopy.getMethod("sharedBootstrapServers").invoke(null);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        // A string literal is interned: one lock object for every copy of this class, whatever its class loader.
        synchronized (SHARED_BOOTSTRAP_SERVERS_PROPERTY) {
            existing = System.getProperty(SHARED_BOOTSTRAP_SERVERS_PROPERTY);
            if (existing != null) {
                return existing;
            }
            EmbeddedKafkaBroker broker = builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "ambrosia-embedded-kafka-shutdown"));
            System.setProperty(SHARED_BOOTSTRAP_SERVERS_PROPERTY, broker.bootstrapServers());
            LOG.infof("Shared embedded Kafka broker started on %s in %d ms", broker.bootstrapServers(),
                    broker.startTime().toMillis());
            return broker.bootstrapServers();
        }
    }

    private static Class<?> systemClassLoaderCopy() {
        ClassLoader system = ClassLoader.getSystemClassLoader();
        if (EmbeddedKafkaBroker.class.getClassLoader() == system) {
            return null;
        }
        try {
            Class<?> copy = Class.forName(EmbeddedKafkaBroker.class.getName(), true, system);
            return copy == EmbeddedKafkaBroker.class ? null : copy;
        } catch (ClassNotFoundException | LinkageError e) {
            // e.g. dev mode, where the system class path holds only the launcher
            return null;
        }
    }

    /**
     * Waits until every partition of the given topics has a leader.
     * <p>
     * Right after {@code createTopics} completes, partitions may still be leaderless for a moment, and an idempotent
     * producer sending then was seen to hang; call this between the two.
     *
     * @param admin an admin client connected to the cluster
     * @param topics the topics to wait for; topics not yet known to the cluster are waited for too
     * @param timeout how long to wait at most
     * @throws IllegalStateException if some partition still has no leader when the timeout expires
     */
    public static void awaitPartitionLeaders(Admin admin, Collection<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String missing = String.join(", ", topics);
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new IllegalStateException("Timed out after " + timeout + " waiting for partition leaders of " + missing);
            }
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
                        .get(remaining, TimeUnit.NANOSECONDS);
                missing = leaderlessPartitions(descriptions);
                if (missing.isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Cannot describe topics " + topics, e.getCause());
                }
                missing = "unknown topics among " + topics;
            } catch (TimeoutException e) {
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for partition leaders of " + topics, e);
            }
            sleep(Duration.ofMillis(20));
        }
    }

    private static String leaderlessPartitions(Map<String, TopicDescription> descriptions) {
        List<String> leaderless = new ArrayList<>();
        for (TopicDescription description : descriptions.values()) {
            for (TopicPartitionInfo partition : description.partitions()) {
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    leaderless.add(description.name() + "-" + partition.partition());
                }
            }
        }
        return String.join(", ", leaderless);
    }

    /**
     * Configures and starts an {@link EmbeddedKafkaBroker}.
     */
    public static final class Builder {
        private Path logDir;
        private int port;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> users = new LinkedHashMap<>();
        private boolean authorizer;

        private Builder() {
        }

        /**
         * Keeps the broker's data in this directory, created if needed. The directory is formatted on first use only;
         * its cluster id ({@value #CLUSTER_ID_FILE}) and port ({@value #PORT_FILE}) are reused on the next start.
         *
         * @param logDir the data directory; {@code null} means a temporary directory deleted on close
         * @return this builder
         */
        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /**
         * @param port the port clients connect to; {@code 0} (the default) picks a free one, preferring the port
         *        recorded in a persistent log directory
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets a broker property (see Kafka's broker configuration), overriding the embedded defaults.
         *
         * @param key the property name, e.g. {@code log.retention.ms}
         * @param value its value
         * @return this builder
         */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /**
         * Makes the client listener {@code SASL_PLAINTEXT} with the {@code PLAIN} mechanism: clients must log in as one
         * of the builder's users (see {@link EmbeddedKafkaBroker#clientProperties(String)}). The broker talks to itself,
         * and checks that it is ready, as this user, which is a super user under {@link #authorizer()}. The
         * controller listener stays {@code PLAINTEXT}. Passwords travel unencrypted: for tests only.
         *
         * @param brokerUser the broker's own user
         * @param password its password
         * @return this builder
         */
        public Builder saslPlain(String brokerUser, String password) {
            if (!users.isEmpty()) {
                throw new IllegalStateException("saslPlain(user, password) is called once, before user(name, password)");
            }
            return addUser(brokerUser, password);
        }

        /**
         * Adds a user the SASL listener of {@link #saslPlain(String, String)} accepts; its principal is
         * {@code User:<name>}.
         *
         * @param name letters, digits, {@code .}, {@code _} or {@code -}
         * @param password any text without {@code "} or {@code \}
         * @return this builder
         */
        public Builder user(String name, String password) {
            if (users.isEmpty()) {
                throw new IllegalStateException("Call saslPlain(brokerUser, password) before user(" + name + ", password)");
            }
            return addUser(name, password);
        }

        private Builder addUser(String name, String password) {
            if (name == null || !USER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("A user name is made of letters, digits, '.', '_' and '-': " + name);
            }
            if (password == null || password.indexOf('"') >= 0 || password.indexOf('\\') >= 0) {
                throw new IllegalArgumentException("The password of " + name + " must be given and hold no '\"' or '\\'");
            }
            users.put(name, password);
            return this;
        }

        /**
         * Makes the broker enforce ACLs with Kafka's {@code StandardAuthorizer}: a principal may do only what an ACL
         * allows, nothing where no ACL matches. The super users are the broker's SASL user and {@code User:ANONYMOUS},
         * the principal on the {@code PLAINTEXT} controller listener, which the broker's own requests to its
         * controller use. Needs {@link #saslPlain(String, String)}.
         *
         * @return this builder
         */
        public Builder authorizer() {
            this.authorizer = true;
            return this;
        }

        /**
         * Starts the broker and returns once it answers admin requests and has initialized a transactional producer
         * (which creates the transaction state topic).
         *
         * @return the running broker
         * @throws IllegalStateException if the broker cannot start or does not become ready within 60 seconds
         */
        public EmbeddedKafkaBroker start() {
            if (authorizer && users.isEmpty()) {
                throw new IllegalStateException("authorizer() needs saslPlain(user, password): on a PLAINTEXT listener"
                        + " every client is User:ANONYMOUS, a super user");
            }
            KafkaExitGuard.install();
            KafkaLogLevels.quiet();
            long begin = System.nanoTime();
            boolean temporary = logDir == null;
            Path dir;
            try {
                dir = temporary ? Files.createTempDirectory("ambrosia-kafka-") : Files.createDirectories(logDir);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the Kafka log directory " + logDir, e);
            }
            // Kafka loads its plugins (metrics reporters, serializers) through the context class loader, and its threads
            // inherit it: make it the loader of these Kafka classes, whichever application thread starts the broker
            Thread current = Thread.currentThread();
            ClassLoader previous = current.getContextClassLoader();
            current.setContextClassLoader(EmbeddedKafkaBroker.class.getClassLoader());
            try {
                return startIn(dir, temporary, begin);
            } catch (RuntimeException | Error e) {
                if (temporary) {
                    deleteRecursively(dir);
                }
                throw e;
            } finally {
                current.setContextClassLoader(previous);
            }
        }

        private EmbeddedKafkaBroker startIn(Path dir, boolean temporary, long begin) {
            Path dataDir = dir.resolve(DATA_DIR);
            String clusterId = clusterId(dir, dataDir);
            int recordedPort = port != 0 ? 0 : recordedPort(dir);
            RuntimeException lastFailure = null;
            for (int attempt = 1; attempt <= MAX_PORT_ATTEMPTS; attempt++) {
                int brokerPort;
                if (port != 0) {
                    brokerPort = port;
                } else if (attempt == 1 && recordedPort != 0 && isFree(recordedPort)) {
                    brokerPort = recordedPort;
                } else {
                    brokerPort = freePort();
                }
                KafkaConfig config = new KafkaConfig(brokerProperties(dataDir, brokerPort, freePort()), false);
                format(dataDir, clusterId);
                KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
                try {
                    startup(server);
                    LOG.debugf("Embedded Kafka broker process started after %d ms",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
                    String bootstrap = HOST + ":" + brokerPort;
                    awaitReady(probeProperties(bootstrap));
                    writeString(dir.resolve(PORT_FILE), Integer.toString(brokerPort));
                    Duration took = Duration.ofNanos(System.nanoTime() - begin);
                    LOG.debugf("Embedded Kafka broker started on %s (cluster %s, log dir %s) in %d ms", bootstrap,
                            clusterId, dir, took.toMillis());
                    return new EmbeddedKafkaBroker(server, dir, temporary, clusterId, brokerPort, took, Map.copyOf(users));
                } catch (RuntimeException e) {
                    shutdownQuietly(server);
                    lastFailure = e;
                    if (port != 0 || !isBindFailure(e)) {
                        break;
                    }
                    // Another process took the port between our probe and the broker's bind: pick another one.
                    LOG.debugf(e, "Embedded Kafka broker could not bind port %d, retrying", brokerPort);
                }
            }
            throw new IllegalStateException("Cannot start the embedded Kafka broker in " + dir + ": " + lastFailure,
                    lastFailure);
        }

        private Map<String, Object> probeProperties(String bootstrap) {
            if (users.isEmpty()) {
                return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            }
            Map.Entry<String, String> broker = users.entrySet().iterator().next();
            return Map.copyOf(saslClientProperties(bootstrap, broker.getKey(), broker.getValue()));
        }

        private Map<String, String> brokerProperties(Path dataDir, int brokerPort, int controllerPort) {
            Map<String, String> props = new LinkedHashMap<>();
            String listener = users.isEmpty() ? PLAIN_LISTENER : SASL_LISTENER;
            props.put("process.roles", "broker,controller");
            props.put("node.id", Integer.toString(NODE_ID));
            // Static voters (kraft.version 0) let the controller port change between restarts of a persistent log
            // directory; a dynamic quorum would record the first port for ever.
            props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
            props.put("controller.listener.names", CONTROLLER_LISTENER);
            props.put("listeners", listener + "://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":"
                    + controllerPort);
            props.put("advertised.listeners", listener + "://" + HOST + ":" + brokerPort);
            props.put("listener.security.protocol.map", listener + ":" + listener + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
            props.put("inter.broker.listener.name", listener);
            if (!users.isEmpty()) {
                saslProperties(props);
            }
            props.put("log.dirs", dataDir.toString());
            props.put("metadata.log.dir", dataDir.toString());
            // One node: every internal topic must be satisfied by one replica, or transactions and groups hang.
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "5");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "5");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("min.insync.replicas", "1");
            props.put("default.replication.factor", "1");
            props.put("num.partitions", "1");
            props.put("auto.create.topics.enable", "true");
            props.put("group.initial.rebalance.delay.ms", "0");
            // A dev machine, not a server: few threads, small buffers.
            props.put("num.network.threads", "2");
            props.put("num.io.threads", "4");
            props.put("background.threads", "2");
            props.put("num.recovery.threads.per.data.dir", "1");
            props.put("log.cleaner.threads", "1");
            props.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
            // The broker is unfenced on the heartbeat after it caught up with the metadata: beat often to start fast.
            props.put("broker.heartbeat.interval.ms", "500");
            // controlled.shutdown.enable stays true: it fences the broker in the metadata log, without which a restart
            // on the same log directory waits broker.session.timeout.ms for the old registration to expire.
            props.putAll(properties);
            return props;
        }

        private void saslProperties(Map<String, String> props) {
            props.put("sasl.enabled.mechanisms", "PLAIN");
            props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            Map.Entry<String, String> broker = users.entrySet().iterator().next();
            StringBuilder jaas = new StringBuilder(PlainLoginModule.class.getName()).append(" required username=\"")
                    .append(broker.getKey()).append("\" password=\"").append(broker.getValue()).append('"');
            users.forEach((name, password) -> jaas.append(" user_").append(name).append("=\"").append(password).append('"'));
            props.put("listener.name." + SASL_LISTENER.toLowerCase(Locale.ROOT) + ".plain.sasl.jaas.config",
                    jaas.append(';').toString());
            if (authorizer) {
                props.put("authorizer.class.name", STANDARD_AUTHORIZER);
                props.put("super.users", "User:" + broker.getKey() + ";User:ANONYMOUS");
            }
        }
    }

    private static String clusterId(Path dir, Path dataDir) {
        Path idFile = dir.resolve(CLUSTER_ID_FILE);
        Path metaProperties = dataDir.resolve("meta.properties");
        if (Files.exists(metaProperties)) {
            // Already formatted: the directory's own id is the truth, whatever our file says.
            String formatted = readMetaClusterId(metaProperties);
            if (!Files.exists(idFile)) {
                writeString(idFile, formatted);
            }
            return formatted;
        }
        if (Files.exists(idFile)) {
            try {
                String recorded = Files.readString(idFile, StandardCharsets.UTF_8).trim();
                if (!recorded.isEmpty()) {
                    return recorded;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + idFile, e);
            }
        }
        String fresh = Uuid.randomUuid().toString();
        writeString(idFile, fresh);
        return fresh;
    }

    private static String readMetaClusterId(Path metaProperties) {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + metaProperties, e);
        }
        String id = props.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException(metaProperties + " has no cluster.id; delete the directory to start afresh");
        }
        return id;
    }

    private static void format(Path dataDir, String clusterId) {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(KafkaLogLevels.debugStream())
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(dataDir.toString())
                    .addDirectory(dataDir.toString())
                    .setHasDynamicQuorum(false)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the Kafka log directory " + dataDir, e);
        }
    }

    private static void startup(KafkaRaftServer server) {
        // Kafka's threads inherit the context class loader; give them one that lives as long as their classes.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(EmbeddedKafkaBroker.class.getClassLoader());
        try {
            server.startup();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void awaitReady(Map<String, Object> connection) {
        Object bootstrap = connection.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> adminConfig = new HashMap<>(connection);
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "ambrosia-embedded-broker-probe");
        try (Admin admin = Admin.create(adminConfig)) {
            admin.describeCluster().nodes().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            LOG.debugf("Embedded Kafka broker on %s answers admin requests", bootstrap);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Embedded Kafka broker on " + bootstrap + " does not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the embedded Kafka broker", e);
        }
        Map<String, Object> producerConfig = new HashMap<>(connection);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "ambrosia-embedded-broker-probe");
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ambrosia-embedded-broker-probe");
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(remainingMillis(deadline)));
        // initTransactions makes the broker create the transaction state topic and elect its leaders, which is what
        // the first transactional client would otherwise wait for.
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.debug("Error while shutting down a broker that failed to start", e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static int recordedPort(Path dir) {
        Path file = dir.resolve(PORT_FILE);
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            int recorded = Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim());
            return recorded > 0 && recorded <= 65535 ? recorded : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port", e);
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void writeString(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.debugf("Cannot delete %s: %s", path, e);
                }
            });
        } catch (IOException e) {
            LOG.debugf("Cannot delete %s: %s", dir, e);
        }
    }
}
