package io.contentplane.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs inside each fresh JVM that {@link ColdStartBench} launches: constructs the handler (what
 * the Lambda runtime does on a cold start), then reads one event (API Gateway, or SQS for the delivery function), answers it and writes
 * the answer as the runtime does, and prints
 * <pre>
 * PROBE ready=&lt;epochMs&gt; done=&lt;epochMs&gt; status=&lt;code&gt; classes=&lt;loaded so far&gt; serialization=&lt;ms&gt;
 * BODY &lt;body&gt;
 * </pre>
 * where serialization is the time the runtime's library took to read the event and write the answer.
 * Usage: {@code ColdStartProbe <handlerClass> <eventFile>}.
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ColdStartProbe <handlerClass> <eventFile>");
            System.exit(2);
        }
        Object handler = Class.forName(args[0]).getDeclaredConstructor().newInstance();
        long ready = System.currentTimeMillis();

        // As the Lambda Java runtime does: the event read and the response written by
        // aws-lambda-java-serialization, whose Jackson is relocated, so neither side's own JSON library is
        // warmed up by the harness. The runtime picks the serializer by the handler's RequestHandler input
        // type: its event mixins for an aws-lambda-java-events type (APIGatewayProxyRequestEvent, SQSEvent),
        // plain Jackson for anything else (the delivery function's Map).
        ClassLoader loader = ColdStartProbe.class.getClassLoader();
        Type[] types = requestHandlerTypes(handler.getClass());
        long readStarted = System.nanoTime();
        Object event;
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            event = serializer(types[0], loader).fromJson(in);
        }
        long read = System.nanoTime() - readStarted;
        @SuppressWarnings("unchecked")
        RequestHandler<Object, Object> lambda = (RequestHandler<Object, Object>) handler;
        Object response = lambda.handleRequest(event, new ProbeContext());
        long writeStarted = System.nanoTime();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        serializer(types[1], loader).toJson(response, written);
        long done = System.currentTimeMillis();
        long serialization = (read + System.nanoTime() - writeStarted) / 1_000_000;
        // Counted after the clock stopped: the management classes it loads are not part of the run.
        long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();

        String status;
        String body;
        // By name: the delivery function's jar has no aws-lambda-java-events, and its answer is a Map.
        if (response.getClass().getName().equals("com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent")) {
            status = ApiAnswer.status(response);
            body = ApiAnswer.body(response);
        } else {
            // An SQS batch answer: "200" when it names no failed message (every message handled).
            body = written.toString(StandardCharsets.UTF_8);
            status = body.replace(" ", "").contains("\"batchItemFailures\":[]") ? "200" : "500";
        }
        System.out.println("PROBE ready=" + ready + " done=" + done + " status=" + status
                + " classes=" + classes + " serialization=" + serialization);
        System.out.println("BODY " + body);
        // A Micronaut application context keeps non-daemon threads alive after the answer.
        System.exit(0);
    }

    /** An API Gateway answer's parts; a class of its own so that only API handlers' runs load the events type. */
    private static final class ApiAnswer {
        static String status(Object response) {
            return String.valueOf(((APIGatewayProxyResponseEvent) response).getStatusCode());
        }

        static String body(Object response) {
            return ((APIGatewayProxyResponseEvent) response).getBody();
        }
    }

    /** The runtime's serializer for {@code type}: the events library's for its own types, plain (relocated) Jackson otherwise. */
    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type, ClassLoader loader) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (LambdaEventSerializers.isLambdaSupportedEvent(raw.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(raw, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    /** The input and output types of the RequestHandler {@code type} implements, as the runtime finds them. */
    static Type[] requestHandlerTypes(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type implemented : c.getGenericInterfaces()) {
                if (implemented instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return resolve(p.getActualTypeArguments(), type, c);
                }
            }
        }
        throw new IllegalArgumentException(type + " is no RequestHandler");
    }

    /** The type arguments {@code declared} in {@code declaring}, with its type variables bound as {@code type} binds them. */
    private static Type[] resolve(Type[] declared, Class<?> type, Class<?> declaring) {
        Type[] resolved = declared.clone();
        for (int i = 0; i < resolved.length; i++) {
            if (resolved[i] instanceof TypeVariable<?> variable) {
                // bound one level down: class X extends Base<In, Out>, Base<I, O> implements RequestHandler<I, O>
                for (Class<?> c = type; c != null && c != declaring; c = c.getSuperclass()) {
                    if (c.getGenericSuperclass() instanceof ParameterizedType p && p.getRawType() == declaring) {
                        TypeVariable<?>[] variables = declaring.getTypeParameters();
                        for (int v = 0; v < variables.length; v++) {
                            if (variables[v].getName().equals(variable.getName())) {
                                resolved[i] = p.getActualTypeArguments()[v];
                            }
                        }
                    }
                }
            }
        }
        return resolved;
    }

    /** The little of a Lambda invocation context that a handler may ask for. */
    private static final class ProbeContext implements Context {
        @Override
        public String getAwsRequestId() {
            return "cold-start-probe";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/cold-start-probe";
        }

        @Override
        public String getLogStreamName() {
            return "cold-start-probe";
        }

        @Override
        public String getFunctionName() {
            return "cold-start-probe";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:eu-west-1:123456789012:function:cold-start-probe";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 15_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.err.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.err.print(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
