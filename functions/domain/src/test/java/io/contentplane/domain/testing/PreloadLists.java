package io.contentplane.domain.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks a function's class preload list (ClassPreloader), which functions/bench/run.sh
 * --write-preload-lists writes: it must have been made from this function's cold start, and still
 * name classes that exist, or the preloading does nothing and the cold start quietly gets slower.
 */
public final class PreloadLists {
    private static final String LIST = "META-INF/contentplane/preload-classes.txt";
    private static final Pattern DESUGARED_LAMBDA = Pattern.compile("(.+)\\$\\$Lambda\\$\\d+");

    private PreloadLists() {
    }

    /** The list of the function whose module runs this test names {@code ownClasses} and is current. */
    public static void assertCurrent(Class<?>... ownClasses) throws IOException {
        ClassLoader loader = ownClasses[0].getClassLoader();
        List<String> names;
        try (InputStream in = loader.getResourceAsStream(LIST)) {
            assertNotNull(in, LIST + " is missing: run functions/bench/run.sh --write-preload-lists");
            names = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
        assertTrue(names.size() > 1000, "a Micronaut cold start loads thousands of classes, the list has " + names.size());
        for (Class<?> own : ownClasses) {
            assertTrue(names.contains(own.getName()), "the list was not made from this function's cold start: no "
                    + own.getName() + "; run functions/bench/run.sh --write-preload-lists");
        }
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            // A lambda class functions/aot/DesugarCallSites.java writes exists in the Lambda jar only: its host
            // stands for it here (DesugarCallSitesIT checks the names against the jars).
            Matcher desugared = DESUGARED_LAMBDA.matcher(name);
            try {
                Class.forName(desugared.matches() ? desugared.group(1) : name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(name);
            }
        }
        assertTrue(missing.size() * 100 <= names.size(), missing.size() + " of " + names.size()
                + " listed classes no longer exist (e.g. " + missing.stream().limit(5).toList()
                + "); run functions/bench/run.sh --write-preload-lists");
    }
}
