package io.contentplane.integration;

import io.contentplane.domain.testing.DynamoDbRequestCounter;
import io.contentplane.domain.webhook.WebhookTargetGuard;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Beans of every test context of this module: DNS without real lookups, a DynamoDB request counter. */
@Factory
class IntegrationTestBeans {

    /** One name resolves to a public address, one rebinds to a private one; nothing else resolves. */
    @Singleton
    @Replaces(WebhookTargetGuard.class)
    WebhookTargetGuard webhookTargetGuard() {
        return new WebhookTargetGuard(false, IntegrationTestBeans::resolve);
    }

    /** Counts the requests every DynamoDB client of the context sends (an SDK execution interceptor). */
    @Singleton
    DynamoDbRequestCounter dynamoDbRequestCounter() {
        return new DynamoDbRequestCounter();
    }

    static InetAddress[] resolve(String host) throws UnknownHostException {
        return switch (host) {
            case "example.com" -> new InetAddress[]{InetAddress.getByAddress(host, new byte[]{93, (byte) 184, (byte) 215, 14})};
            case "internal.example" -> new InetAddress[]{InetAddress.getByAddress(host, new byte[]{10, 0, 0, 7})};
            default -> throw new UnknownHostException(host);
        };
    }
}
