package io.contentplane.domain.lambda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Loads, on a second core, the classes a function's first request needs while the main thread
 * builds the Micronaut context: a cold start spends about half its time reading and defining
 * classes one after another, and the main thread then finds most of them already loaded.
 * <p>
 * The list ({@value #LIST} in the function's jar, one binary class name per line: Micronaut's bean
 * definitions, which the context creates in one burst early on, then the rest in the order a cold
 * start loaded them) is written by the cold-start benchmark ({@code functions/bench/run.sh
 * --write-preload-lists}). Classes are only loaded, never initialised: no static initialiser runs
 * early or on another thread, so start-up order is unchanged. A name that no longer exists is
 * skipped. Off with {@code PRELOAD_CLASSES=false}, and on a single processor, where it would only
 * compete with the main thread.
 */
public final class ClassPreloader {
    static final String LIST = "META-INF/contentplane/preload-classes.txt";
    static final String SWITCH = "PRELOAD_CLASSES";

    private ClassPreloader() {
    }

    /** Starts the preloading thread, unless switched off or pointless here; true if it started. */
    public static boolean start(ClassLoader loader) {
        if ("false".equalsIgnoreCase(System.getenv(SWITCH)) || Runtime.getRuntime().availableProcessors() < 2
                || loader.getResource(LIST) == null) {
            return false;
        }
        Thread thread = new Thread(() -> preload(loader), "class-preloader");
        thread.setDaemon(true);
        thread.start();
        return true;
    }

    /** Loads every class of the list that exists; returns how many it loaded. */
    static int preload(ClassLoader loader) {
        int loaded = 0;
        try (InputStream in = loader.getResourceAsStream(LIST)) {
            if (in == null) {
                return 0;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String name = lines.readLine(); name != null; name = lines.readLine()) {
                if (load(loader, name.trim())) {
                    loaded++;
                }
            }
        } catch (IOException e) {
            // The list is an optimisation: without it the classes load when first used.
        }
        return loaded;
    }

    private static boolean load(ClassLoader loader, String name) {
        if (name.isEmpty() || name.startsWith("#")) {
            return false;
        }
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // gone since the list was written, or not loadable here: its user decides
        }
    }
}
