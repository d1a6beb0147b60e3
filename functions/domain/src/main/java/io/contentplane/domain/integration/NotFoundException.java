package io.contentplane.domain.integration;

/** The record does not exist, was deleted, or belongs to another tenant (never said which). */
public final class NotFoundException extends RuntimeException {
    private final String what;

    public NotFoundException(String what) {
        super(what + " not found", null, false, false);
        this.what = what;
    }

    public String what() {
        return what;
    }
}
