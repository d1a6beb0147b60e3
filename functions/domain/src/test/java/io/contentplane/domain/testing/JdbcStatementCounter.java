package io.contentplane.domain.testing;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only JDBC round-trip counter. Enabled by the property {@link #ENABLED}, it wraps the
 * DataSource bean when the context creates it and records every statement executed through it
 * (one database round trip each) and every commit. The pool's own housekeeping (connection
 * validation) happens below the wrapper and is not counted.
 */
@Singleton
@Requires(property = JdbcStatementCounter.ENABLED, value = "true")
public class JdbcStatementCounter implements BeanCreatedEventListener<DataSource>, Ordered {
    public static final String ENABLED = "test.jdbc.count-statements";

    private final List<String> statements = new CopyOnWriteArrayList<>();
    private final AtomicInteger commits = new AtomicInteger();

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        return proxy(DataSource.class, event.getBean(), (target, method, args) -> {
            Object result = method.invoke(target, args);
            return result instanceof Connection c ? proxy(Connection.class, c, this::onConnection) : result;
        });
    }

    /**
     * Innermost of the DataSource wrappers: micronaut-data's contextual-connection wrapper goes
     * around this one, so the connections its transactions and repositories use all pass through here.
     * (Around it instead, this wrapper would hide it from micronaut-data, which then fails to open
     * connections: "No current connection present".)
     */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    /** The SQL of every statement executed since the last {@link #reset()}, in order. */
    public List<String> statements() {
        return List.copyOf(statements);
    }

    /** The first keyword of each statement ({@code SELECT}, {@code UPDATE}, ...), in order. */
    public List<String> verbs() {
        return statements.stream().map(sql -> sql.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT)).toList();
    }

    public int commits() {
        return commits.get();
    }

    public void reset() {
        statements.clear();
        commits.set(0);
    }

    private Object onConnection(Connection target, Method method, Object[] args) throws Throwable {
        Object result = method.invoke(target, args);
        switch (method.getName()) {
            case "commit" -> commits.incrementAndGet();
            case "prepareStatement" -> {
                return proxy(PreparedStatement.class, (PreparedStatement) result, statementHandler((String) args[0]));
            }
            case "prepareCall" -> {
                return proxy(CallableStatement.class, (CallableStatement) result, statementHandler((String) args[0]));
            }
            case "createStatement" -> {
                return proxy(Statement.class, (Statement) result, statementHandler(null));
            }
            default -> {
                // everything else passes through uncounted
            }
        }
        return result;
    }

    /** Counts {@code execute*} calls; a plain Statement names its SQL in the call, a prepared one at preparation. */
    private <S extends Statement> Handler<S> statementHandler(String preparedSql) {
        return (target, method, args) -> {
            if (method.getName().startsWith("execute")) {
                statements.add(args != null && args.length > 0 && args[0] instanceof String sql ? sql : preparedSql);
            }
            return method.invoke(target, args);
        };
    }

    @FunctionalInterface
    private interface Handler<T> {
        Object invoke(T target, Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
        InvocationHandler invocation = (proxy, method, args) -> {
            switch (method.getName()) {
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                default -> {
                    try {
                        return handler.invoke(target, method, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }
            }
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, invocation);
    }
}
