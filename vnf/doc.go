// Package vnf runs chains of virtual network functions on Juniper NFX
// universal CPE: a catalog of VNF descriptors, placement of a site's chain on
// an NFX's capacity, the NFX configuration that chains the functions, and a
// lifecycle (deploy, update, scale, remove, state) over a device session.
//
// # Catalog
//
// A [Descriptor] names an image and what it needs: vCPUs, memory, disk, and
// its data ports with their [Role] (ingress, egress, management).
// [Catalog.Onboard] validates a descriptor and adds it as a new version;
// [Catalog.Lookup] finds a version or the newest one ([CompareVersions]
// orders versions numerically).
//
// # Placement and rendering
//
// A [Chain] belongs to a tenant and lists [Function]s from the LAN port to
// the WAN port. [Place] resolves the functions in the catalog and fits the
// chain on a [Host] beside the chains already there — vCPUs (one core each),
// memory, disk, ports and segment VLANs — or returns a [*FitError] naming
// the resource that runs out. [Render] writes the [Plan] as NFX
// configuration: a VLAN per segment, a virtual-network-functions entry per
// function with its ports mapped onto the segment VLANs, the LAN and WAN
// ports as access members of the end segments, and the WAN port under
// vmhost virtualization-options. [RenderRemoval] writes its removal. Both
// are pure and deterministic, and the tests validate their XML against
// Juniper's junos-nfx YANG models.
//
// Names are restricted to [a-z0-9-] so they go into configuration as single
// words; free text (the site) is quoted by the printer and refused if it
// holds control characters.
//
// # Lifecycle
//
// A [Manager] drives one NFX through a [Session], which device.Session
// satisfies. Every change is placed before the device is touched, loaded
// as XML and committed once; a refused load or commit is rolled back.
// After a deploy, update or scale the Manager reads the VNF states once: a
// VNF of the chain that the device did not start ("Shutdown": no room
// left, an image it cannot boot) or that crashed makes the Manager take
// its commit back (rollback 1 and commit) and return [ErrNotRunning]
// naming each such VNF with its state and the device's reason. A VNF that
// runs but is not alive yet (its guest still booting) passes; watch it with
// [Manager.State], which reads get-virtual-network-functions-information
// back. The Manager's record changes only after a change succeeded.
//
// # Tenants
//
// Every chain carries its tenant. A Manager finds, scales, updates and
// removes a chain only by tenant and name, and [Manager.State] and
// [Manager.Chains] return only the asking tenant's chains, so one tenant
// cannot see or change another's.
//
// # Concurrency
//
// Descriptors, chains, hosts and plans are plain values, and Place, Render
// and RenderRemoval are pure. A [Catalog] and a [Manager] are safe for
// concurrent use; a Manager serializes its changes, holding its lock while
// it talks to the device.
package vnf
