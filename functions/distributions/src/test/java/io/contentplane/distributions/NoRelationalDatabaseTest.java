package io.contentplane.distributions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.micronaut.inject.BeanDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distributions function keeps its data in DynamoDB only: its classpath (the one its Lambda jar
 * is shaded from, plus the test scope) holds none of domain's optional JDBC stack, and its context
 * starts and answers without it, creating no DataSource and none of domain's database beans.
 */
class NoRelationalDatabaseTest extends DistributionsTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {
            "com.zaxxer.hikari.HikariDataSource",                        // HikariCP
            "io.micronaut.configuration.jdbc.hikari.DatasourceFactory",  // micronaut-jdbc-hikari
            "io.micronaut.jdbc.BasicJdbcConfiguration",                  // micronaut-jdbc
            "io.micronaut.data.jdbc.runtime.JdbcOperations",             // micronaut-data-jdbc
            "io.micronaut.data.jdbc.config.SchemaGenerator",             // micronaut-data-jdbc
            "io.micronaut.data.runtime.intercept.DataIntroductionAdvice", // micronaut-data-runtime
            "io.micronaut.data.model.Pageable",                          // micronaut-data-model
            "io.micronaut.transaction.TransactionOperations",            // micronaut-data-tx
            "jakarta.persistence.Entity",                                // jakarta.persistence-api
            "org.postgresql.Driver",
            "org.h2.Driver",
            "org.flywaydb.core.Flyway"
    })
    void theJdbcStackIsNotOnTheClasspath(String className) {
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName(className, false, NoRelationalDatabaseTest.class.getClassLoader()));
    }

    @Test
    void theContextHasNoDatabaseBeansAndARequestIsAnswered() {
        String ws = workspace();
        String token = token(ws);
        String id = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");

        APIGatewayProxyResponseEvent read = call("GET", distributions(ws) + "/" + id, token, null);
        assertEquals(200, read.getStatusCode(), read.getBody());
        assertEquals(id, body(read).get("id"), read.getBody());

        assertTrue(context.getBeansOfType(DataSource.class).isEmpty());
        List<String> databaseBeans = context.getAllBeanDefinitions().stream()
                .map(BeanDefinition::getBeanType)
                .map(Class::getName)
                .filter(name -> name.startsWith("io.micronaut.data.") || name.startsWith("io.micronaut.transaction.")
                        || name.startsWith("io.micronaut.jdbc.") || name.startsWith("io.micronaut.configuration.jdbc.")
                        || name.startsWith("com.zaxxer.")
                        || name.startsWith("io.contentplane.domain.node.") || name.startsWith("io.contentplane.domain.event.")
                        || name.equals("io.contentplane.domain.delivery.EventRelay")
                        || name.equals("io.contentplane.domain.delivery.DeliveryWorker"))
                .toList();
        assertEquals(List.of(), databaseBeans);
    }
}
