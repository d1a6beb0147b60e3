package io.contentplane.local;

import io.micronaut.core.annotation.Nullable;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.NodeAddress;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.collection.immutable.List$;
import scala.util.Either;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The SQS engine of the embedded stores: ElasticMQ inside the runner's process, on a free loopback port,
 * so that webhooks are delivered without LocalStack (relay, fan-out and delivery queues as in AWS).
 * <p>
 * Unless the runner keeps nothing ({@code IN_MEMORY=true}), its queues and their messages are stored in
 * an H2 database under {@code DATA_DIR/sqs} (ElasticMQ's own SQL persistence, written on every send,
 * change of visibility and delete) and restored when the runner starts again, like the events'
 * outbox (H2) and the deliveries' state (DynamoDB Local) beside them: a fan-out or delivery queued
 * when the runner stopped is still delivered after a restart.
 */
final class EmbeddedSqs implements AutoCloseable {
    /** Region the SDK signs for; ElasticMQ checks no signature. */
    static final String REGION = "us-east-1";
    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(30);

    private final ActorSystem actors;
    private final SQSRestServer server;
    private final String endpoint;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private EmbeddedSqs(ActorSystem actors, SQSRestServer server, String endpoint) {
        this.actors = actors;
        this.server = server;
        this.endpoint = endpoint;
    }

    /** The engine, its queues and messages kept in {@code storage} (a directory), or in memory only when null. */
    static EmbeddedSqs start(@Nullable Path storage) {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ActorSystem actors = ActorSystem.create("embedded-sqs");
        try {
            ActorRef store = storage == null ? null : actors.actorOf(Props.create(SqlQueuePersistenceActor.class,
                    new SqlQueuePersistenceConfig(true, "org.h2.Driver",
                            "jdbc:h2:file:" + storage.resolve("queues").toAbsolutePath(), "sa", "", false),
                    List$.MODULE$.empty()));
            ActorRef queues = actors.actorOf(Props.create(QueueManagerActor.class, new NowProvider(),
                    StrictSQSLimits$.MODULE$, Option.apply(store)));
            if (store != null) {
                restore(store, queues);
            }
            // Queue URLs name the address the server really listens on.
            SQSRestServer server = SQSRestServerBuilder.withActorSystem(actors).withQueueManagerActor(queues)
                    .withInterface("127.0.0.1").withPort(port)
                    .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                    .withAWSRegion(REGION)
                    .start();
            server.waitUntilStarted();
            return new EmbeddedSqs(actors, server, "http://127.0.0.1:" + port);
        } catch (RuntimeException e) {
            actors.terminate();
            throw e;
        }
    }

    /** The stored queues created again, each with its stored messages; a failure stops the runner's start. */
    private static void restore(ActorRef store, ActorRef queues) {
        Object answer;
        try {
            // the ask ends by RESTORE_TIMEOUT (an AskTimeoutException) if the store does not answer
            answer = Patterns.ask(store, new QueueEvent.Restore(queues), RESTORE_TIMEOUT).toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restoring the stored SQS queues", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the stored SQS queues could not be restored", e);
        }
        if (!(answer instanceof Either<?, ?> result) || result.isLeft()) {
            throw new IllegalStateException("the stored SQS queues could not be restored: " + answer);
        }
    }

    String endpoint() {
        return endpoint;
    }

    /** Stops the engine and its actors; a second call (a test's close, then the shutdown hook) does nothing. */
    @Override
    public void close() {
        if (stopped.compareAndSet(false, true)) {
            server.stopAndWait();
            actors.terminate();
            try {
                // the store's H2 database is closed with its actor
                actors.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // stopping anyway; every change was written when it was made
            }
        }
    }
}
