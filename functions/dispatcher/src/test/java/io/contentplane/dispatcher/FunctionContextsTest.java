package io.contentplane.dispatcher;

import io.contentplane.domain.delivery.DeliveryWorker;
import io.contentplane.domain.delivery.EventRelay;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contexts the dispatcher jar's two handlers build for themselves (the no-argument constructors
 * Lambda calls): beans are made when first needed, so the delivery function does not build the relay
 * and the relay does not build the delivery worker.
 */
class FunctionContextsTest {

    @Test
    void theDeliveryFunctionCreatesOnlyWhatADeliveryNeeds() throws Exception {
        try (DeliveryQueueFunction function = new DeliveryQueueFunction()) {
            ApplicationContext context = function.getApplicationContext();
            assertTrue(context.getEnvironment().getActiveNames().containsAll(Set.of("function", "lambda")));
            assertFalse(context.getActiveBeanRegistrations(DeliveryWorker.class).isEmpty(), "its handler's worker is made");
            assertTrue(context.containsBean(EventRelay.class), "the relay exists in this jar's context");
            // micronaut-function-aws's own builder would have created every singleton at start-up.
            assertTrue(context.getActiveBeanRegistrations(EventRelay.class).isEmpty(), "the relay is not created");
        }
    }

    @Test
    void theRelayFunctionDoesNotBuildTheDeliveryWorker() throws Exception {
        try (DispatcherFunction function = new DispatcherFunction()) {
            ApplicationContext context = function.getApplicationContext();
            assertTrue(context.getEnvironment().getActiveNames().containsAll(Set.of("function", "lambda")));
            assertTrue(context.containsBean(DeliveryWorker.class), "the worker exists in this jar's context");
            assertTrue(context.getActiveBeanRegistrations(DeliveryWorker.class).isEmpty(), "the worker is not created");
        }
    }
}
