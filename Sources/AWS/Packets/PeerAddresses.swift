extension AWSEstate {
    /// The addresses a permission's peer stands for, seen from the group that holds the permission.
    ///
    /// - A CIDR block: its addresses, exactly.
    /// - A group: the private addresses (IPv4 and IPv6) of the interfaces that carry it, the holding
    ///   group's own members included when it names itself. That is exact when the group is in the same
    ///   account and VPC and some loaded interface carries it. Otherwise (another account, a peered VPC,
    ///   no known member) its known members are assumed, and at most any address that is not on a
    ///   known interface lacking the group (an interface can carry only groups of its own VPC, and the
    ///   exports say which it carries).
    /// - A prefix list: its CIDRs are not in the exports; nothing for sure, anything at most.
    public func addresses(of peer: PermissionPeer, in group: SecurityGroup) -> (levels: Levels<AddressSet>, reasons: [String]) {
        switch peer {
        case .cidr(let c):
            return (Levels(exactly: AddressSet(c)), [])
        case .prefixList(let id):
            return (Levels(certain: .empty, assumed: .empty, possible: .everything), ["prefix list \(id): its CIDRs are not in the exports"])
        case .unreadable(let why):
            return (Levels(certain: .empty, assumed: .empty, possible: .everything), ["unreadable peer: \(why)"])
        case .group(let ref):
            let members = memberAddresses(of: ref.groupId)
            var reasons: [String] = []
            if let account = ref.userId, let owner = group.ownerId, account != owner {
                reasons.append("\(ref.groupId) belongs to account \(account): its members are not in the exports")
            }
            let referencedVPC = ref.vpcId ?? self.group(id: ref.groupId)?.vpcId
            if let theirs = referencedVPC, let ours = group.vpcId, theirs != ours {
                reasons.append("\(ref.groupId) is in \(theirs)\(ref.peeringStatus != nil ? " (peered)" : ""), not \(ours): its members are not all in the exports")
            } else if ref.peeringStatus != nil {
                reasons.append("\(ref.groupId) is reached through a VPC peering connection: its members are not all in the exports")
            }
            if memberCount(of: ref.groupId) == 0 {
                reasons.append("\(ref.groupId) has no known members (no loaded instance or interface carries it)")
            }
            if reasons.isEmpty { return (Levels(exactly: members), []) }
            let nonMembers = knownAddresses.subtracting(members)
            return (Levels(certain: members, assumed: members, possible: AddressSet.everything.subtracting(nonMembers)), reasons)
        }
    }
}
