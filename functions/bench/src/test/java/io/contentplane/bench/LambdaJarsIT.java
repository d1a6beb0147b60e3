package io.contentplane.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jars Lambda runs, as built (shaded, Micronaut AOT classes added, preload list inside), each in a
 * fresh JVM constructing the handler template.yaml names and answering its benchmark event against
 * PostgreSQL and DynamoDB Local: the handler tests run the modules' classes, this runs what is
 * deployed. One benchmark run per function; any answer but a 200 (or, for distributions, a body
 * other than the baseline's) fails it.
 */
class LambdaJarsIT {

    @Test
    void everyFunctionJarAnswersItsEventInAFreshJvm() throws Exception {
        double worstRatio = ColdStartBench.run(ColdStartBench.parse(new String[] {"--runs", "1", "--repo", "../.."}));

        assertTrue(worstRatio > 0 && Double.isFinite(worstRatio), "every function and baseline answered: " + worstRatio);
    }
}
