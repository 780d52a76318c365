package dev.vigil.lambda;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.SecurityGroupId;
import dev.vigil.core.inventory.InstanceInfo;
import dev.vigil.core.inventory.Inventory;
import dev.vigil.core.inventory.NetworkAclInfo;
import dev.vigil.core.inventory.SecurityGroupInfo;
import dev.vigil.core.inventory.StaticInventory;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The account's instances, groups and ACLs as a function instance sees them: loaded at its first invocation (not at
 * init, so a SnapStart snapshot holds none) and again once older than {@code maxAge}, so that a bastion tagged
 * since, seen by another function instance's CloudTrail events, is known here too. Invocations of one function
 * instance never overlap, so a refresh needs no lock.
 */
final class RefreshingInventory implements Inventory {
    private final Supplier<StaticInventory> load;
    private final Duration maxAge;
    private StaticInventory current = StaticInventory.empty();
    private Instant loadedAt;

    RefreshingInventory(Supplier<StaticInventory> load, Duration maxAge) {
        this.load = load;
        this.maxAge = maxAge;
    }

    /** Loads the inventory when it never was, or was longer than {@code maxAge} before {@code now}. */
    void refresh(Instant now) {
        if (loadedAt != null && Duration.between(loadedAt, now).compareTo(maxAge) < 0) return;
        current = load.get();
        loadedAt = now;
    }

    @Override
    public Optional<InstanceInfo> instance(InstanceId id) {
        return current.instance(id);
    }

    @Override
    public Collection<InstanceInfo> instances() {
        return current.instances();
    }

    @Override
    public Optional<SecurityGroupInfo> securityGroup(SecurityGroupId id) {
        return current.securityGroup(id);
    }

    @Override
    public Collection<SecurityGroupInfo> securityGroups() {
        return current.securityGroups();
    }

    @Override
    public Collection<NetworkAclInfo> networkAcls() {
        return current.networkAcls();
    }
}
