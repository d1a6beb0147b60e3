package io.contentplane.domain.lambda;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.BeanRegistration;

import javax.sql.DataSource;
import java.sql.SQLException;

/**
 * The SnapStart clean-up of the functions that use the database (operator, status, integration,
 * dispatcher). Apart from {@link Priming} because it references Hikari, which only those functions
 * ship: a function without the JDBC stack (distributions) never loads this class.
 */
public final class JdbcPriming {

    private JdbcPriming() {
    }

    /**
     * After a restore: closes the database connections the pool holds, so the first request opens a
     * fresh one. A connection opened before the snapshot is a TCP socket of another host and time;
     * reusing it would fail or, worse, hang until the pool's validation times out. Only a pool that
     * exists is touched: creating one here would connect, which is the first request's job.
     */
    public static void evictPooledConnections(ApplicationContext context) throws SQLException {
        for (BeanRegistration<DataSource> registration : context.getActiveBeanRegistrations(DataSource.class)) {
            DataSource dataSource = registration.getBean();
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
                // New connections log in with the current credentials (SecretsRefresh may have
                // re-read them from Secrets Manager after the restore).
                context.getProperty("datasources.default.username", String.class)
                        .ifPresent(hikari.getHikariConfigMXBean()::setUsername);
                context.getProperty("datasources.default.password", String.class)
                        .ifPresent(hikari.getHikariConfigMXBean()::setPassword);
                HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
                if (pool != null) {
                    pool.softEvictConnections();
                }
            }
        }
    }
}
