package io.contentplane.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs inside each fresh JVM that {@link ColdStartBench} launches: constructs the handler (what
 * the Lambda runtime does on a cold start), then reads one API Gateway event, answers it and writes
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

        // As the Lambda Java runtime does for a RequestHandler of an aws-lambda-java-events type: the
        // event read and the response written by aws-lambda-java-serialization, whose Jackson is
        // relocated, so neither side's own JSON library is warmed up by the harness.
        ClassLoader loader = ColdStartProbe.class.getClassLoader();
        long readStarted = System.nanoTime();
        PojoSerializer<APIGatewayProxyRequestEvent> requests =
                LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class, loader);
        APIGatewayProxyRequestEvent event;
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            event = requests.fromJson(in);
        }
        long read = System.nanoTime() - readStarted;
        @SuppressWarnings("unchecked")
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> lambda =
                (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>) handler;
        APIGatewayProxyResponseEvent response = lambda.handleRequest(event, new ProbeContext());
        long writeStarted = System.nanoTime();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(APIGatewayProxyResponseEvent.class, loader).toJson(response, written);
        long done = System.currentTimeMillis();
        long serialization = (read + System.nanoTime() - writeStarted) / 1_000_000;
        // Counted after the clock stopped: the management classes it loads are not part of the run.
        long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();

        System.out.println("PROBE ready=" + ready + " done=" + done + " status=" + response.getStatusCode()
                + " classes=" + classes + " serialization=" + serialization);
        System.out.println("BODY " + response.getBody());
        // A Micronaut application context keeps non-daemon threads alive after the answer.
        System.exit(0);
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
