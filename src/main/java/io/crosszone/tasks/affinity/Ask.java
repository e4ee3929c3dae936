package io.crosszone.tasks.affinity;

import java.util.Optional;

/** A question to RocketMQ where "cannot tell now" (an exception) counts as no answer. */
final class Ask {
    private Ask() {
    }

    interface Question<T> {
        T ask() throws Exception;
    }

    static <T> Optional<T> quietly(Question<T> q) {
        try {
            return Optional.ofNullable(q.ask());
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
