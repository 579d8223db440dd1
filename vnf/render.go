package vnf

import (
	"fmt"
	"strconv"

	"github.com/carrierkit/carrierkit/internal/jtree"
)

// Config is rendered NFX configuration in the forms a device takes.
type Config struct {
	// XML is a <configuration> document for NETCONF load-configuration.
	XML []byte
	// Set is the same configuration as set lines; Text as curly braces.
	Set, Text []byte
}

// Render writes the NFX configuration of the given placed chains: per chain,
// one VLAN per segment, one virtual-network-functions entry per instance
// (image, vCPUs, memory in KiB, and each data port mapped in access mode
// onto its segment VLAN), the LAN and WAN ports as access members of the
// first and last segments, and the WAN port under vmhost
// virtualization-options. Render is pure and deterministic. Errors wrap
// ErrInvalid when a plan holds a value configuration cannot carry.
func Render(plans ...Plan) (Config, error) {
	t, err := tree(plans)
	if err != nil {
		return Config{}, err
	}
	return Config{XML: t.AppendXML(nil), Set: t.AppendSet(nil), Text: t.AppendText(nil)}, nil
}

// RenderRemoval writes what removes the given chains: the XML marks every
// statement a chain owns operation="delete"; Set holds delete lines. The
// shared parents (interfaces, vlans) stay.
func RenderRemoval(plans ...Plan) (Config, error) {
	t, err := tree(plans)
	if err != nil {
		return Config{}, err
	}
	return Config{XML: t.AppendDeleteXML(nil), Set: t.AppendDeleteSet(nil), Text: t.AppendDeleteText(nil)}, nil
}

func tree(plans []Plan) (*jtree.Tree, error) {
	t := jtree.New()
	for _, p := range plans {
		addPlan(t, p)
	}
	if err := t.Err(); err != nil {
		return nil, fmt.Errorf("vnf: render: %w: %w", ErrInvalid, err)
	}
	return t, nil
}

// addPlan adds p in Junos schema order (interfaces, virtual-network-functions,
// vlans, vmhost: the order the NFX prints them).
func addPlan(t *jtree.Tree, p Plan) {
	c := p.Chain
	ifs := t.Container(jtree.Root, "interfaces")
	last := len(p.Segments) - 1
	for _, a := range []struct {
		port, seg string
	}{{c.LAN, p.Segments[0]}, {c.WAN, p.Segments[last]}} {
		ifd := t.NamelessEntry(ifs, "interface", a.port)
		u := t.Own(t.Entry(ifd, "unit", "0"))
		t.Leaf(u, "description", "chain "+c.Tenant+"/"+c.Name)
		fam := t.SetStyle(t.Container(u, "family"), jtree.Flat)
		es := t.Container(fam, "ethernet-switching")
		t.Leaf(es, "interface-mode", "access")
		t.LeafList(t.Container(es, "vlan"), "members", a.seg)
	}
	for _, in := range p.Instances {
		v := t.Own(t.Entry(jtree.Root, "virtual-network-functions", in.Name))
		img := t.Container(v, "image")
		t.Leaf(img, "file-path", in.Descriptor.Image)
		typ := "qcow2"
		if in.Descriptor.Raw {
			typ = "raw"
		}
		t.Leaf(img, "image-type", typ)
		t.Leaf(t.Container(v, "virtual-cpu"), "count", strconv.Itoa(in.VCPUs))
		for _, port := range in.Descriptor.Ports {
			seg := ""
			switch port.Role {
			case RoleIngress:
				seg = in.In
			case RoleEgress:
				seg = in.Out
			default:
				continue
			}
			m := t.Container(t.Entry(v, "interfaces", port.Name), "mapping")
			vl := t.Container(m, "vlan")
			t.Leaf(vl, "mode", "access")
			t.LeafList(vl, "members", seg)
		}
		t.Leaf(t.Container(v, "memory"), "size", strconv.Itoa(in.MemoryMB*1024))
	}
	vlans := t.Container(jtree.Root, "vlans")
	for i, seg := range p.Segments {
		vl := t.Own(t.NamelessEntry(vlans, "vlan", seg))
		desc := c.Tenant + "/" + c.Name + " segment " + strconv.Itoa(i)
		if c.Site != "" {
			desc = c.Site + ": " + desc
		}
		t.Leaf(vl, "description", desc)
		t.Leaf(vl, "vlan-id", p.VLANs[i].String())
	}
	vo := t.Container(t.Container(jtree.Root, "vmhost"), "virtualization-options")
	t.Own(t.Entry(vo, "interfaces", c.WAN))
}
