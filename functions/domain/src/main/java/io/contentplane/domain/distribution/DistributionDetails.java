package io.contentplane.domain.distribution;

import java.util.List;

/** A distribution with its routes, oldest route first. */
public record DistributionDetails(Distribution distribution, List<Route> routes) {
}
