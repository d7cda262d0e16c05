
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == 'testsuites', root.tag
print('total', root.get('tests'), root.get('failures'), root.get('errors'))
msgs = set()
for s in root.findall('testsuite'):
    cases = s.findall('testcase')
    print(s.get('name'), s.get('tests'), s.get('failures'), s.get('errors'), len(cases),
          sum(len(c.findall('failure')) for c in cases), sum(len(c.findall('error')) for c in cases),
          {p.get('name'): p.get('value') for p in s.find('properties')}['base_seed'])
    for c in cases:
        for f in c.findall('failure') + c.findall('error'):
            msgs.add(f.get('message'))
            assert 'replay --kind' in f.text, f.text
for m in sorted(msgs):
    print('MSG', repr(m))
