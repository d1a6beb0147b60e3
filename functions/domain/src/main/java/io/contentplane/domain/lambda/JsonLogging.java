package io.contentplane.domain.lambda;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The Lambda functions' logging: one JSON object per line on standard error (CloudWatch Logs keeps
 * each as one event, a stack trace included), with level, logger, thread, the formatted message and
 * the MDC that {@link LambdaLogContext} fills per invocation (requestId, functionName,
 * functionVersion). Logback's own {@link JsonEncoder}, set up in code and found through the
 * ServiceLoader: no logback.xml to parse and no JSON library to load at cold start
 * (docs/operations.md). Message arguments are not written apart from the formatted message: lower
 * layers' values stay out unless a message names them.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public class JsonLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("json");
        // Standard error, as before (slf4j-simple's stream): standard output stays the runtime's.
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
