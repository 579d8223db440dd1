"""Drive a simulated device with Debian's ncclient (Junos device handler).

Usage: ncclient_junos.py HOST PORT USER PASSWORD
Prints "WAIT-CONFIRM" after a confirmed commit and waits for a line on stdin
(the Go test advances the device clock meanwhile), then prints one JSON
object with what it observed.
"""
import json
import sys

from ncclient import manager
from ncclient.operations import RPCError
from ncclient.xml_ import new_ele

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


def connect():
    return manager.connect(host=host, port=port, username=user, password=password,
                           hostkey_verify=False, look_for_keys=False, allow_agent=False,
                           device_params={'name': 'junos'}, timeout=10)


def committed_system(m):
    return m.command('show configuration system', format='text').xpath('//output')[0].text


out = {}
m = connect()
out['session_id'] = int(m.session_id)
out['base11'] = 'urn:ietf:params:netconf:base:1.1' in m.server_capabilities

# facts
sw = m.rpc(new_ele('get-software-information'))
out['facts'] = {
    'hostname': sw.xpath('//software-information/host-name')[0].text,
    'model': sw.xpath('//software-information/product-model')[0].text,
    'version': sw.xpath('//software-information/junos-version')[0].text,
}
si = m.rpc(new_ele('get-system-information'))
out['facts']['serial'] = si.xpath('//system-information/serial-number')[0].text

# load + commit
m.load_configuration(action='set', config=['set system domain-name nc.example'])
m.commit()
out['committed_after_commit'] = 'domain-name nc.example;' in committed_system(m)

# commit check failure
m.load_configuration(action='set', config=['set protocols mpls label-switched-path broken no-cspf'])
try:
    m.commit(check=True)
    out['check_error'] = None
except RPCError as e:
    first = (getattr(e, 'errors', None) or [e])[0]  # several rpc-errors come as a list
    out['check_error'] = {'message': (first.message or '').strip(), 'path': (first.path or '').strip(),
                          'count': len(getattr(e, 'errors', None) or [e])}
m.discard_changes()

# confirmed commit that is never confirmed
m.load_configuration(action='set', config=['set system domain-name confirmed.example'])
m.commit(confirmed=True, timeout='60')
out['confirmed_applied'] = 'confirmed.example' in committed_system(m)
print('WAIT-CONFIRM', flush=True)
sys.stdin.readline()
out['confirmed_rolled_back'] = 'confirmed.example' not in committed_system(m)

# lock contention
m2 = connect()
m.lock()
try:
    m2.load_configuration(action='set', config=['set system domain-name other.example'])
    out['locked_load_error'] = None
except RPCError as e:
    out['locked_load_error'] = (e.message or '').strip()
try:
    m2.lock()
    out['second_lock'] = 'ok'
except RPCError as e:
    out['second_lock'] = (e.message or '').strip()
m.unlock()
m2.lock()
m2.unlock()
m2.close_session()

# compare against rollback
m.load_configuration(action='set', config=['set system domain-name cmp.example'])
diff = m.compare_configuration(rollback=0)
out['compare'] = diff.xpath('//configuration-output')[0].text
m.discard_changes()
m.close_session()
print(json.dumps(out), flush=True)
