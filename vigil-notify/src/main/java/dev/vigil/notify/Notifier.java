package dev.vigil.notify;

import dev.vigil.core.policy.TargetDef;

/** Delivers a notice to one target of its type. Never throws for a delivery problem: it returns a failed Delivery. */
public interface Notifier {
    Delivery send(TargetDef target, Notice notice);
}
