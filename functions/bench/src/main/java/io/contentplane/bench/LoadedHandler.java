package io.contentplane.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URLClassLoader;
import java.util.Map;

/**
 * A Lambda handler called as the Lambda runtime calls it: constructed by its no-argument
 * constructor, then through {@code RequestHandler.handleRequest} by reflection, with the event and
 * {@code Context} types of the handler's own class loader (a function jar carries its own copies of
 * aws-lambda-java-core and -events) and that loader as the thread's context class loader.
 */
final class LoadedHandler implements AutoCloseable {
    private static final String REQUEST_HANDLER = "com.amazonaws.services.lambda.runtime.RequestHandler";
    private static final String CONTEXT = "com.amazonaws.services.lambda.runtime.Context";
    private static final String LOGGER = "com.amazonaws.services.lambda.runtime.LambdaLogger";
    private static final String REQUEST = "com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent";
    private static final String RESPONSE = "com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent";
    /** Reads the sample events with Jackson: fields the events library lacks are skipped. */
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final ClassLoader loader;
    private final Object handler;
    private final Method handleRequest;
    private final Class<?> requestType;
    private final Method statusCode;
    private final Object context;

    LoadedHandler(ClassLoader loader, String handlerClass) throws ReflectiveOperationException {
        this.loader = loader;
        Thread.currentThread().setContextClassLoader(loader);
        Class<?> contextType = Class.forName(CONTEXT, false, loader);
        this.handleRequest = Class.forName(REQUEST_HANDLER, false, loader).getMethod("handleRequest", Object.class, contextType);
        this.requestType = Class.forName(REQUEST, false, loader);
        this.statusCode = Class.forName(RESPONSE, false, loader).getMethod("getStatusCode");
        // Neither side logs through the Lambda logger; whatever would be logged is dropped.
        Object logger = proxy(loader, LOGGER, Map.of());
        this.context = proxy(loader, CONTEXT, Map.of(
                "getAwsRequestId", "warm-bench",
                "getFunctionName", "warm-bench",
                "getFunctionVersion", "$LATEST",
                "getInvokedFunctionArn", "arn:aws:lambda:eu-west-1:123456789012:function:warm-bench",
                "getLogGroupName", "/aws/lambda/warm-bench",
                "getLogStreamName", "warm-bench",
                "getRemainingTimeInMillis", 15_000,
                "getMemoryLimitInMB", 1024,
                "getLogger", logger));
        this.handler = Class.forName(handlerClass, true, loader).getDeclaredConstructor().newInstance();
    }

    /** An API Gateway event of the handler's own class, read from its JSON. */
    Object event(String json) throws IOException {
        return JSON.readValue(json, requestType);
    }

    /** Answers the event; anything but a 200 fails the benchmark, which would measure an error path. */
    Object handle(Object event) throws ReflectiveOperationException {
        Object response = respond(event);
        Object status = statusCode.invoke(response);
        if (!Integer.valueOf(200).equals(status)) {
            throw new IllegalStateException("the handler answered " + status + ", not 200: " + response);
        }
        return response;
    }

    /** The handler's response to the event (an APIGatewayProxyResponseEvent of its loader), whatever its status. */
    Object respond(Object event) throws ReflectiveOperationException {
        Thread.currentThread().setContextClassLoader(loader);
        try {
            return handleRequest.invoke(handler, event, context);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the handler failed", e.getCause());
        }
    }

    /** Closes the handler (a Micronaut function closes its application context) and its own loader. */
    @Override
    public void close() throws Exception {
        if (handler instanceof AutoCloseable closeable) {
            closeable.close();
        }
        if (loader instanceof URLClassLoader own) {
            own.close();
        }
    }

    /** An implementation of the loader's interface that answers by method name (null when unnamed). */
    private static Object proxy(ClassLoader loader, String type, Map<String, Object> answers) throws ClassNotFoundException {
        return Proxy.newProxyInstance(loader, new Class<?>[] {Class.forName(type, false, loader)},
                (proxy, method, args) -> switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "warm-bench " + type;
                    default -> answers.get(method.getName());
                });
    }
}
