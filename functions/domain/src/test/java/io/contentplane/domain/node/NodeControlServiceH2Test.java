package io.contentplane.domain.node;

import io.contentplane.domain.testing.TestDatabases.Store;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.TestInstance;

/** {@link NodeControlServiceContract} (each write committed, as in production: no test transaction) on H2 in memory. */
@MicronautTest(startApplication = false, transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeControlServiceH2Test extends NodeControlServiceContract {
    @Override
    Store store() {
        return Store.H2;
    }
}
