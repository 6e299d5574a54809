package io.quarkiverse.ambrosia.runtime.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.Test;

import io.quarkus.kafka.client.tls.QuarkusKafkaSslEngineFactory;

/**
 * Every client the extension creates connects as the application does: TLS, SASL and the properties of security
 * plugins reach the append producer, the transactional producers, the consumers and the admin client alike.
 */
class KafkaClientsTest {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"bank\" password=\"bank-secret\";";

    // what quarkus-kafka-client makes of kafka.* with kafka.tls-configuration-name=kafka-tls, SASL and a plugin option
    private static final Map<String, Object> KAFKA = Map.of(
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "broker:9093",
            CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL",
            SaslConfigs.SASL_MECHANISM, "PLAIN",
            SaslConfigs.SASL_JAAS_CONFIG, JAAS,
            SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, QuarkusKafkaSslEngineFactory.class.getName(),
            KafkaClients.TLS_CONFIGURATION_NAME, "kafka-tls",
            SaslConfigs.SASL_CLIENT_CALLBACK_HANDLER_CLASS, "com.example.TokenCallbackHandler",
            "com.example.token.endpoint", "https://login.example.com/token",
            ConsumerConfig.GROUP_ID_CONFIG, "bank-app",
            ProducerConfig.LINGER_MS_CONFIG, "5");

    @Test
    void everyClientGetsTheConnectionSettingsAndPluginProperties() {
        KafkaClients clients = new KafkaClients(KAFKA, Map.of());

        for (Map<String, Object> client : allClients(clients)) {
            assertThat(client)
                    .containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "broker:9093")
                    .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
                    .containsEntry(SaslConfigs.SASL_MECHANISM, "PLAIN")
                    .containsEntry(SaslConfigs.SASL_JAAS_CONFIG, JAAS)
                    .containsEntry(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, QuarkusKafkaSslEngineFactory.class.getName())
                    // without it Quarkus's SSL engine factory refuses to configure the client
                    .containsEntry(KafkaClients.TLS_CONFIGURATION_NAME, "kafka-tls")
                    .containsEntry(SaslConfigs.SASL_CLIENT_CALLBACK_HANDLER_CLASS, "com.example.TokenCallbackHandler")
                    .containsEntry("com.example.token.endpoint", "https://login.example.com/token");
        }
        // but not the settings of the data clients, which an admin client does not know
        assertThat(clients.admin("ambrosia-admin"))
                .doesNotContainKeys(ConsumerConfig.GROUP_ID_CONFIG, ProducerConfig.LINGER_MS_CONFIG)
                .containsEntry(CommonClientConfigs.CLIENT_ID_CONFIG, "ambrosia-admin");
    }

    @Test
    void overridesReplaceTheApplicationsSecuritySettingsInEveryClient() {
        String ambrosiaJaas = JAAS.replace("bank", "bank-immortals");
        KafkaClients clients = new KafkaClients(KAFKA, Map.of(
                SaslConfigs.SASL_JAAS_CONFIG, ambrosiaJaas,
                SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512",
                // the extension's clients may use a TLS registry configuration of their own
                "tls.configuration.name", "immortals-tls"));

        for (Map<String, Object> client : allClients(clients)) {
            assertThat(client).containsEntry(SaslConfigs.SASL_JAAS_CONFIG, ambrosiaJaas)
                    .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512")
                    .containsEntry(KafkaClients.TLS_CONFIGURATION_NAME, "immortals-tls")
                    .containsEntry(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, QuarkusKafkaSslEngineFactory.class.getName())
                    .doesNotContainKey("tls.configuration.name");
        }
    }

    private static List<Map<String, Object>> allClients(KafkaClients clients) {
        return List.of(clients.appendProducer("ambrosia-append"), clients.transactionalProducer("ambrosia.Bank-0"),
                clients.consumer("ambrosia-Bank", "ambrosia.Bank", 100), clients.admin("ambrosia-admin"));
    }
}
