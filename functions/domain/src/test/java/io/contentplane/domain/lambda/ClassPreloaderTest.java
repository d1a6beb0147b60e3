package io.contentplane.domain.lambda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClassPreloaderTest {

    private static final String INITIALISED = "contentplane.test.initialised.";

    /**
     * Its static initialiser records that it ran, per class loader, in a system property: the isolated
     * copy below cannot see this test's own fields, but it shares the JVM's system properties.
     */
    public static final class WithStaticInitialiser {
        static {
            System.setProperty(INITIALISED + System.identityHashCode(WithStaticInitialiser.class.getClassLoader()), "true");
        }
    }

    /** A loader that finds this test's classes itself (not via its parent) and tells what it loaded. */
    static final class IsolatedLoader extends URLClassLoader {
        IsolatedLoader(Path listDirectory) throws IOException {
            super(new URL[]{listDirectory.toUri().toURL(),
                    ClassPreloaderTest.class.getProtectionDomain().getCodeSource().getLocation()},
                    ClassPreloaderTest.class.getClassLoader().getParent());
        }

        boolean hasLoaded(String name) {
            return findLoadedClass(name) != null;
        }
    }

    @Test
    void loadsTheListedClassesWithoutInitialisingThem(@TempDir Path dir) throws Exception {
        String listed = WithStaticInitialiser.class.getName();
        writeList(dir, "# comment\n" + listed + "\n\nio.contentplane.NoSuchClass\n" + AtomicBoolean.class.getName() + "\n");
        try (IsolatedLoader loader = new IsolatedLoader(dir)) {
            assertFalse(loader.hasLoaded(listed));

            assertEquals(2, ClassPreloader.preload(loader), "the two existing classes, not the comment, blank or missing one");

            assertTrue(loader.hasLoaded(listed), "loaded by the function's own class loader");
            Class<?> loaded = Class.forName(listed, false, loader);
            // The isolated copy's initialiser has not run: reading its field through reflection would run it,
            // so ask the JVM whether the class is initialised instead.
            assertFalse(isInitialised(loaded), "loading must not run static initialisers");
            Class.forName(listed, true, loader);
            assertTrue(isInitialised(loaded), "the check sees an initialiser that did run");
        }
    }

    @Test
    void withoutAListThereIsNothingToDo(@TempDir Path dir) throws Exception {
        try (IsolatedLoader loader = new IsolatedLoader(dir)) {
            assertNull(loader.getResource(ClassPreloader.LIST));
            assertEquals(0, ClassPreloader.preload(loader));
            assertFalse(ClassPreloader.start(loader), "no thread is started without a list");
        }
    }

    private static void writeList(Path dir, String text) throws IOException {
        Path list = dir.resolve(ClassPreloader.LIST);
        Files.createDirectories(list.getParent());
        Files.writeString(list, text);
    }

    private static boolean isInitialised(Class<?> type) {
        return System.getProperty(INITIALISED + System.identityHashCode(type.getClassLoader())) != null;
    }
}
