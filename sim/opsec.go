package sim

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/sim/junosconf"
	"github.com/carrierkit/carrierkit/sim/netstate"
)

// ipsecVPNs returns the IPsec VPNs of d as the network computes them. A
// device outside a network is computed alone: its peers are nowhere, so
// nothing comes up, each VPN with its reason.
func (d *Device) ipsecVPNs(s *session) []netstate.IPsecVPN {
	if st, name := d.netView(); st != nil {
		return st.IPsecVPNs(name)
	}
	lone := netstate.Compute(netstate.Input{Devices: []netstate.Device{{Name: "self", Family: d.plat.Family,
		Config: s.committed(), Up: true}}})
	return lone.IPsecVPNs("self")
}

// tunnelUnitUp reports whether an st0 or gr- unit is up: only in a
// network, where its tunnel can reach a peer.
func (d *Device) tunnelUnitUp(ifl string) bool {
	st, name := d.netView()
	return st != nil && st.InterfaceUp(name, ifl)
}

func securityOnly(d *Device, token string) error {
	if d.plat.Family == junosconf.FamilyJunos {
		return &commandError{Token: token, Msg: "syntax error, expecting <command>."}
	}
	return nil
}

// cookie is a stable 64-bit IKE SPI shown as 16 hex digits.
func cookie(a, b netip.Addr, salt uint32) string {
	h := uint64(netstate.TunnelIndexBase) ^ uint64(salt)<<32
	for _, x := range [][]byte{a.AsSlice(), b.AsSlice()} {
		for _, c := range x {
			h = h*1099511628211 ^ uint64(c)
		}
	}
	return fmt.Sprintf("%016x", h)
}

// opIKESAs answers get-ike-security-associations-information (show
// security ike security-associations): one IKE SA per gateway pair that is
// up, initiator and responder cookies ordered by address.
func opIKESAs(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	if err := securityOnly(d, "security"); err != nil {
		return nil, err
	}
	var w xw
	w.open("ike-security-associations-information", "junos:style", "brief")
	var text strings.Builder
	text.WriteString("Index   State  Initiator cookie  Responder cookie  Mode           Remote Address\n")
	seen := map[[2]netip.Addr]bool{}
	for _, v := range d.ipsecVPNs(s) {
		k := [2]netip.Addr{v.Local, v.Remote}
		if !v.IKEUp || seen[k] {
			continue
		}
		if f := r.arg("peer-address"); f != "" && f != v.Remote.String() {
			continue
		}
		seen[k] = true
		lo, hi := v.Local, v.Remote
		if hi.Less(lo) {
			lo, hi = hi, lo
		}
		mode := map[string]string{"main": "Main", "aggressive": "Aggressive"}[v.IKEMode]
		ic, rc := cookie(lo, hi, 1), cookie(lo, hi, 2)
		w.open("ike-security-associations").leaf("ike-sa-index", strconv.FormatUint(uint64(v.IKEIndex), 10))
		w.leaf("ike-sa-remote-address", v.Remote.String()).leaf("ike-sa-state", "UP")
		w.leaf("ike-sa-initiator-cookie", ic).leaf("ike-sa-responder-cookie", rc).leaf("ike-sa-exchange-type", mode)
		w.close("ike-security-associations")
		fmt.Fprintf(&text, "%-8d%-7s%-18s%-18s%-15s%s\n", v.IKEIndex, "UP", ic, rc, mode, v.Remote)
	}
	w.close("ike-security-associations-information")
	return &reply{xml: w.bytes(), text: text.String()}, nil
}

// algorithm is an SA's algorithm column: "ESP:aes-cbc-256/sha256".
func algorithm(v netstate.IPsecVPN) string {
	enc := v.Encryption
	if f := strings.Split(enc, "-"); len(f) == 3 {
		enc = f[0] + "-" + f[2] + "-" + f[1] // aes-256-cbc → aes-cbc-256
	}
	auth := map[string]string{"hmac-sha-256-128": "sha256", "hmac-sha1-96": "sha1", "hmac-md5-96": "md5"}[v.Authentication]
	if auth == "" {
		auth = "None"
	}
	return strings.ToUpper(v.Protocol) + ":" + enc + "/" + auth
}

// opIPsecSAs answers get-security-associations-information (show security
// ipsec security-associations): an inbound and an outbound SA per VPN that
// is up.
func opIPsecSAs(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	if err := securityOnly(d, "security"); err != nil {
		return nil, err
	}
	var up []netstate.IPsecVPN
	for _, v := range d.ipsecVPNs(s) {
		if v.Up && (r.arg("vpn-name") == "" || r.arg("vpn-name") == v.Name) {
			up = append(up, v)
		}
	}
	var w xw
	w.open("ipsec-security-associations-information", "junos:style", "brief")
	w.leaf("total-active-tunnels", strconv.Itoa(len(up))).leaf("total-ipsec-sas", strconv.Itoa(len(up)))
	var text strings.Builder
	fmt.Fprintf(&text, "  Total active tunnels: %d     Total Ipsec sas: %d\n", len(up), len(up))
	text.WriteString("  ID    Algorithm       SPI      Life:sec/kb  Mon lsys Port  Gateway\n")
	for _, v := range up {
		w.open("ipsec-security-associations-block").leaf("sa-block-state", "up")
		for _, dir := range []struct {
			sign string
			spi  uint32
		}{{"<", v.InSPI}, {">", v.OutSPI}} {
			spi := fmt.Sprintf("%08x", dir.spi)
			w.open("ipsec-security-associations").leaf("sa-direction", dir.sign)
			w.leaf("sa-tunnel-index", strconv.FormatUint(uint64(v.Index), 10)).leaf("sa-spi", spi).leaf("sa-aux-spi", "0")
			w.leaf("sa-remote-gateway", v.Remote.String()).leaf("sa-port", "500").leaf("sa-vpn-monitoring-state", "-")
			w.leaf("sa-protocol", algorithm(v)).leaf("sa-hard-lifetime", "3600").leaf("sa-lifesize-remaining", "unlim")
			w.leaf("sa-virtual-system", "root")
			w.close("ipsec-security-associations")
			fmt.Fprintf(&text, "  %s%d %s %s 3600/ unlim - root 500 %s\n", dir.sign, v.Index, algorithm(v), spi, v.Remote)
		}
		w.close("ipsec-security-associations-block")
	}
	w.close("ipsec-security-associations-information")
	return &reply{xml: w.bytes(), text: text.String()}, nil
}

// opInactiveTunnels answers get-inactive-tunnels (show security ipsec
// inactive-tunnels): every VPN that is not up, with the reason in the
// tunnel event.
func opInactiveTunnels(_ context.Context, d *Device, s *session, _ opRequest) (*reply, error) {
	if err := securityOnly(d, "security"); err != nil {
		return nil, err
	}
	var down []netstate.IPsecVPN
	immediate := 0
	for _, v := range d.ipsecVPNs(s) {
		if !v.Up {
			down = append(down, v)
			if v.Establish == "immediately" {
				immediate++
			}
		}
	}
	var w xw
	w.open("ipsec-unestablished-tunnel-information", "junos:style", "brief")
	w.leaf("total-inactive-tunnels", strconv.Itoa(len(down)))
	w.leaf("total-inactive-tunnels-with-establish-immediately", strconv.Itoa(immediate))
	var text strings.Builder
	fmt.Fprintf(&text, "  Total inactive tunnels: %d\n  Total inactive tunnels with establish immediately: %d\n", len(down), immediate)
	text.WriteString("  ID      Port  Gateway          Tunnel Down Reason\n")
	for _, v := range down {
		gw := "-"
		if v.Remote.IsValid() {
			gw = v.Remote.String()
		}
		w.open("ipsec-security-associations-block").open("ipsec-security-associations")
		w.leaf("sa-tunnel-index", strconv.FormatUint(uint64(v.Index), 10)).leaf("sa-remote-gateway", gw).leaf("sa-port", "500")
		w.leaf("sa-tunnel-event", v.Reason)
		w.close("ipsec-security-associations").close("ipsec-security-associations-block")
		fmt.Fprintf(&text, "  %-8d%-6s%-17s%s\n", v.Index, "500", gw, v.Reason)
	}
	w.close("ipsec-unestablished-tunnel-information")
	return &reply{xml: w.bytes(), text: text.String()}, nil
}
