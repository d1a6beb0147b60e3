package io.contentplane.domain.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micronaut.context.BeanContext;
import io.micronaut.context.BeanRegistration;
import io.micronaut.core.annotation.Nullable;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the functions' SnapStart priming (their CRaC resources) shares: the synthetic requests it
 * runs through the handler before the snapshot, and the clean-up after a restore.
 */
public final class Priming {

    private Priming() {
    }

    /** A REST API (payload 1.0) request as API Gateway delivers it: headers in both maps, a request context. */
    public static APIGatewayProxyRequestEvent request(String method, String path, Map<String, String> headers,
                                                      @Nullable String body) {
        Map<String, String> single = new LinkedHashMap<>(headers);
        single.putIfAbsent("Host", "priming.execute-api.localhost");
        if (body != null) {
            single.putIfAbsent("Content-Type", "application/json");
        }
        Map<String, List<String>> multi = new LinkedHashMap<>();
        single.forEach((name, value) -> multi.put(name, List.of(value)));
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId("priming-" + UUID.randomUUID())
                .withHttpMethod(method)
                .withPath(path)
                .withResourcePath(path)
                .withStage("priming");
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod(method)
                .withPath(path)
                .withResource(path)
                .withHeaders(single)
                .withMultiValueHeaders(multi)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(context);
    }

    /**
     * After a restore: closes the database connections the pool holds, so the first request opens a
     * fresh one. A connection opened before the snapshot is a TCP socket of another host and time;
     * reusing it would fail or, worse, hang until the pool's validation times out. Only a pool that
     * exists is touched: creating one here would connect, which is the first request's job.
     */
    public static void evictPooledConnections(BeanContext context) throws SQLException {
        for (BeanRegistration<DataSource> registration : context.getActiveBeanRegistrations(DataSource.class)) {
            DataSource dataSource = registration.getBean();
            HikariPoolMXBean pool = dataSource.isWrapperFor(HikariDataSource.class)
                    ? dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean() : null;
            if (pool != null) {
                pool.softEvictConnections();
            }
        }
    }
}
