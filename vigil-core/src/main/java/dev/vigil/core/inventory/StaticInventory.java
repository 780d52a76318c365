package dev.vigil.core.inventory;

import dev.vigil.core.event.InstanceId;
import dev.vigil.core.event.SecurityGroupId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An inventory held in memory: what replay loads from {@code --inventory} files, and what tests build. */
public final class StaticInventory implements Inventory {
    private final Map<InstanceId, InstanceInfo> instances = new LinkedHashMap<>();
    private final Map<SecurityGroupId, SecurityGroupInfo> groups = new LinkedHashMap<>();
    private final List<NetworkAclInfo> acls = new ArrayList<>();

    public static StaticInventory empty() {
        return new StaticInventory();
    }

    public StaticInventory add(InstanceInfo i) {
        instances.put(i.id(), i);
        return this;
    }

    public StaticInventory add(SecurityGroupInfo g) {
        groups.put(g.id(), g);
        return this;
    }

    public StaticInventory add(NetworkAclInfo a) {
        acls.removeIf(x -> x.id().equals(a.id()));
        acls.add(a);
        return this;
    }

    @Override
    public Optional<InstanceInfo> instance(InstanceId id) {
        return Optional.ofNullable(instances.get(id));
    }

    @Override
    public Collection<InstanceInfo> instances() {
        return List.copyOf(instances.values());
    }

    @Override
    public Optional<SecurityGroupInfo> securityGroup(SecurityGroupId id) {
        return Optional.ofNullable(groups.get(id));
    }

    @Override
    public Collection<SecurityGroupInfo> securityGroups() {
        return List.copyOf(groups.values());
    }

    @Override
    public Collection<NetworkAclInfo> networkAcls() {
        return List.copyOf(acls);
    }
}
