package io.contentplane.local;

import io.contentplane.domain.node.NodeControlService;
import io.contentplane.domain.security.HmacJwt;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every HTTP group on one port on embedded stores, and offers the commands a developer needs
 * beside it:
 * <pre>
 *   java -jar local.jar                          serve (PORT, default 3335)
 *   java -jar local.jar token PATH [JSON_BODY]   print an operator token as Argus's CLI makes it
 *   java -jar local.jar sign-event FILE          print an events/ file with a fresh operator token
 *   java -jar local.jar migrate                  migrate the database at JDBC_URL and register NODE_ID
 * </pre>
 */
public final class LocalRunner {
    private LocalRunner() {
    }

    public static void main(String[] args) throws Exception {
        LocalSettings settings;
        try {
            settings = LocalSettings.from(System::getenv);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String command = args.length == 0 ? "serve" : args[0];
        switch (command) {
            case "serve" -> serve(settings);
            case "token" -> System.out.println(token(settings, Arrays.copyOfRange(args, 1, args.length)));
            case "sign-event" -> System.out.println(signEvent(settings, args));
            case "migrate" -> migrate(settings, System::getenv);
            default -> {
                System.err.println("Usage: java -jar local.jar [serve | token PATH [JSON_BODY] | sign-event FILE | migrate]");
                System.exit(2);
            }
        }
    }

    /** Starts the server; returns its context (closed by Ctrl-C through the shutdown hook). */
    static ApplicationContext serve(LocalSettings settings) {
        settings.printWarnings(System.out);
        ApplicationContext context = Micronaut.build(new String[0])
                .mainClass(LocalRunner.class)
                .environments("local")
                .properties(settings.properties())
                .banner(false)
                .start();
        context.getBean(NodeControlService.class).register(settings.nodeId(), settings.operatorHmacSecret());
        int port = context.getBean(EmbeddedServer.class).getPort();
        System.out.println("Default node " + settings.nodeId() + " registered");
        System.out.println("Serving on http://localhost:" + port + "  (Ctrl-C stops)");
        System.out.println("  curl http://localhost:" + port + "/api/v1/status");
        System.out.println("  curl -X POST http://localhost:" + port + "/api/v1/stop-api -H \"Authorization: Bearer $(java -jar functions/local/target/local.jar token /api/v1/stop-api)\"");
        return context;
    }

    /**
     * The deploy step of AWS: applies the migrations to the database at JDBC_URL (JDBC_USER,
     * JDBC_PASSWORD) and registers the default node with its operator secret. Lambdas never migrate
     * on a cold start; this runs once per deploy, from a machine that reaches the database.
     */
    static void migrate(LocalSettings settings, java.util.function.Function<String, String> env) {
        String url = env.apply("JDBC_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("migrate needs JDBC_URL (and JDBC_USER, JDBC_PASSWORD)");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("flyway.datasources.default.enabled", true);
        p.put("datasources.default.url", url);
        if (env.apply("JDBC_USER") != null) {
            p.put("datasources.default.username", env.apply("JDBC_USER"));
        }
        if (env.apply("JDBC_PASSWORD") != null) {
            p.put("datasources.default.password", env.apply("JDBC_PASSWORD"));
        }
        p.put("datasources.default.dialect", url.startsWith("jdbc:h2:") ? "H2" : "POSTGRES");
        p.put("node.id", settings.nodeId());
        p.put("crypto.data-key", settings.dataEncryptionKey());
        try (ApplicationContext context = ApplicationContext.builder().environments("migrate").properties(p).start()) {
            context.getBean(NodeControlService.class).register(settings.nodeId(), settings.operatorHmacSecret());
        }
        System.out.println("Migrated " + url.replaceAll("password=[^&;]*", "password=***") + " and registered node " + settings.nodeId());
    }

    /** An operator token for the default node, exactly as Argus's CLI signs it (HS256, iat, exp = iat + 60). */
    static String token(LocalSettings settings, String[] args) throws IOException {
        if (args.length < 1 || args.length > 2 || !args[0].startsWith("/")) {
            throw new IllegalArgumentException("Usage: token PATH [JSON_BODY]   e.g. token /api/v1/set-worker '{\"workerId\":1}'");
        }
        JsonMapper json = JsonMapper.createDefault();
        Object body = args.length == 2 ? json.readValue(args[1], Argument.of(Object.class)) : Map.of();
        return cliToken(json, settings.operatorHmacSecret(), args[0], body);
    }

    /** An events/ file with its authorization header replaced by a fresh token for its path and body. */
    @SuppressWarnings("unchecked")
    static String signEvent(LocalSettings settings, String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("Usage: sign-event FILE");
        }
        JsonMapper json = JsonMapper.createDefault();
        Map<String, Object> event = json.readValue(Files.readAllBytes(Path.of(args[1])), Argument.mapOf(String.class, Object.class));
        Object rawBody = event.get("body");
        Object body = rawBody instanceof String s && !s.isBlank() ? json.readValue(s, Argument.of(Object.class)) : Map.of();
        String authorization = "bearer " + cliToken(json, settings.operatorHmacSecret(), (String) event.get("path"), body);
        Map<String, Object> headers = new LinkedHashMap<>((Map<String, Object>) event.getOrDefault("headers", Map.of()));
        headers.keySet().removeIf(k -> k.equalsIgnoreCase("authorization"));
        headers.put("authorization", authorization);
        Map<String, Object> multi = new LinkedHashMap<>((Map<String, Object>) event.getOrDefault("multiValueHeaders", Map.of()));
        multi.keySet().removeIf(k -> k.equalsIgnoreCase("authorization"));
        multi.put("authorization", List.of(authorization));
        event.put("headers", headers);
        event.put("multiValueHeaders", multi);
        return new String(json.writeValueAsBytes(event), StandardCharsets.UTF_8);
    }

    static String cliToken(JsonMapper json, String secret, String path, Object body) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("reqUrl", path);
        claims.put("reqBody", body);
        claims.put("iat", now);
        claims.put("exp", now + 60);
        return HmacJwt.sign(claims, secret.getBytes(StandardCharsets.UTF_8), null, json);
    }
}
