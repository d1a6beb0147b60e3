package io.contentplane.domain.distribution;

/**
 * Who owns a distribution, and so where its identifier must be unique: the workspace, one project
 * of it ({@code project_name}) or one environment of it ({@code environment_id}).
 */
public enum DistributionScope {
    WORKSPACE,
    PROJECT,
    ENVIRONMENT
}
