package io.contentplane.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop HTTP load for load.sh: N threads, each sending the same request one after the other
 * on a pooled HTTP/1.1 client (so at most N connections) until the deadline; then it prints one
 * line: requests/s, p50 and p99 latency in ms of the 2xx answers, and the count of non-2xx answers
 * and of failed requests. Exits 1 when there were any.
 * <pre>
 * LoadGenerator --name NAME --url URL [--method GET] [--body STRING] [--header "Name: value"]...
 *               [--token-command CMD] [--token-refresh-seconds 30]
 *               [--connections 50] [--duration-seconds 15] [--warmup-seconds 0]
 * </pre>
 * {@code --token-command} is run by {@code sh -c} before the load and every refresh period during
 * it; its output becomes {@code Authorization: Bearer <output>} (operator tokens live 60 s).
 * The warm-up runs the same load unmeasured, so that the server's JIT has compiled the hot path.
 */
public final class LoadGenerator {
    private LoadGenerator() {
    }

    record Options(String name, URI url, String method, String body, List<String[]> headers, String tokenCommand,
                   int tokenRefreshSeconds, int connections, int durationSeconds, int warmupSeconds) {
    }

    /** What one thread saw: latencies of 2xx answers in ns, non-2xx statuses, failures. */
    static final class Tally {
        long[] latencies = new long[1024];
        int count;
        final Map<Integer, Integer> non2xx = new TreeMap<>();
        int errors;
        String firstError;

        void ok(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        AtomicReference<String> token = new AtomicReference<>();
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "token-refresh");
            t.setDaemon(true);
            return t;
        });
        if (options.tokenCommand() != null) {
            token.set(mint(options.tokenCommand()));
            refresher.scheduleAtFixedRate(() -> {
                try {
                    token.set(mint(options.tokenCommand()));
                } catch (IOException | InterruptedException | IllegalStateException e) {
                    System.err.println("token refresh failed: " + e.getMessage());
                }
            }, options.tokenRefreshSeconds(), options.tokenRefreshSeconds(), TimeUnit.SECONDS);
        }
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        if (options.warmupSeconds() > 0) {
            load(client, options, token, options.warmupSeconds());
        }
        long started = System.nanoTime();
        List<Tally> tallies = load(client, options, token, options.durationSeconds());
        double seconds = (System.nanoTime() - started) / 1e9;
        refresher.shutdownNow();
        System.exit(report(options, tallies, seconds) ? 0 : 1);
    }

    /** Runs the load for the given seconds on {@code connections} threads and returns their tallies. */
    private static List<Tally> load(HttpClient client, Options options, AtomicReference<String> token, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Tally> tallies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.connections(); i++) {
            Tally tally = new Tally();
            tallies.add(tally);
            threads.add(new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    send(client, request(options, token.get()), tally);
                }
            }, "load-" + i));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        return tallies;
    }

    private static void send(HttpClient client, HttpRequest request, Tally tally) {
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            long elapsed = System.nanoTime() - start;
            if (response.statusCode() / 100 == 2) {
                tally.ok(elapsed);
            } else {
                tally.non2xx.merge(response.statusCode(), 1, Integer::sum);
            }
        } catch (IOException e) {
            tally.errors++;
            if (tally.firstError == null) {
                tally.firstError = e.toString();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest request(Options options, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(options.url()).timeout(Duration.ofSeconds(10))
                .method(options.method(), options.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(options.body()));
        options.headers().forEach(h -> builder.header(h[0], h[1]));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    /** Prints the scenario's line; true when every request answered 2xx. */
    private static boolean report(Options options, List<Tally> tallies, double seconds) {
        long[] latencies = tallies.stream().flatMapToLong(t -> Arrays.stream(t.latencies, 0, t.count)).sorted().toArray();
        Map<Integer, Integer> non2xx = new TreeMap<>();
        tallies.forEach(t -> t.non2xx.forEach((status, n) -> non2xx.merge(status, n, Integer::sum)));
        int non2xxCount = non2xx.values().stream().mapToInt(Integer::intValue).sum();
        int errors = tallies.stream().mapToInt(t -> t.errors).sum();
        long requests = latencies.length + non2xxCount + errors;
        System.out.printf(Locale.ROOT, "%-12s %d connections, %.1f s: %d requests, %.0f req/s, p50 %.2f ms, "
                        + "p99 %.2f ms, non-2xx %d%s, errors %d%n",
                options.name(), options.connections(), seconds, requests, requests / seconds,
                percentile(latencies, 50), percentile(latencies, 99), non2xxCount,
                non2xx.isEmpty() ? "" : " " + non2xx, errors);
        tallies.stream().filter(t -> t.firstError != null).findFirst()
                .ifPresent(t -> System.out.println("  first error: " + t.firstError));
        return non2xxCount == 0 && errors == 0;
    }

    /** Nearest-rank percentile of sorted nanoseconds, in ms (of 2xx answers only). */
    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    private static String mint(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0 || out.isEmpty()) {
            throw new IllegalStateException("token command failed: " + command);
        }
        return out;
    }

    private static Options parse(String[] args) {
        String name = null;
        String url = null;
        String method = "GET";
        String body = null;
        List<String[]> headers = new ArrayList<>();
        String tokenCommand = null;
        int refresh = 30;
        int connections = 50;
        int duration = 15;
        int warmup = 0;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + args[i]);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--name" -> name = value;
                case "--url" -> url = value;
                case "--method" -> method = value;
                case "--body" -> body = value;
                case "--header" -> {
                    int colon = value.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("--header must be 'Name: value', got " + value);
                    }
                    headers.add(new String[]{value.substring(0, colon).trim(), value.substring(colon + 1).trim()});
                }
                case "--token-command" -> tokenCommand = value;
                case "--token-refresh-seconds" -> refresh = positive(args[i], value);
                case "--connections" -> connections = positive(args[i], value);
                case "--duration-seconds" -> duration = positive(args[i], value);
                case "--warmup-seconds" -> warmup = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (name == null || url == null) {
            throw new IllegalArgumentException("usage: LoadGenerator --name NAME --url URL [--method M] [--body S] "
                    + "[--header 'N: v']... [--token-command CMD] [--token-refresh-seconds 30] [--connections 50] "
                    + "[--duration-seconds 15] [--warmup-seconds 0]");
        }
        return new Options(name, URI.create(url), method, body, headers, tokenCommand, refresh, connections, duration, warmup);
    }

    private static int positive(String option, String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }
}
