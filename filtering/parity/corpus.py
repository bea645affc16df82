import gzip, json, re, html
from html.parser import HTMLParser
BLOCK={'p','div','li','h1','h2','h3','h4','h5','h6','pre','tr','br','dt','dd','table','section','article','blockquote','title','td','th','ul','ol'}
class P(HTMLParser):
    def __init__(s): super().__init__(); s.out=[]; s.skip=0
    def handle_starttag(s,t,a):
        if t in ('script','style','noscript'): s.skip+=1
        if t in BLOCK: s.out.append('\n')
    def handle_endtag(s,t):
        if t in ('script','style','noscript'): s.skip=max(0,s.skip-1)
        if t in BLOCK: s.out.append('\n')
    def handle_data(s,d):
        if not s.skip: s.out.append(d)
def h2t(h):
    p=P(); p.feed(h); t=''.join(p.out)
    t=re.sub(r'[ \t]*\n[ \t\n]*\n', '\n\n', t)
    return t.strip()
def docs():
    base='/work/shared/data/web/'
    for l in gzip.open(base+'multilingual-docs/debian-handbook-11.20220922-html.jsonl.gz','rt'):
        r=json.loads(l); yield 'dh:'+r['lang']+':'+r['path'], h2t(r['html'])
    for l in gzip.open(base+'html-extraction/trafilatura-eval-shared.jsonl.gz','rt'):
        r=json.loads(l); yield 'tf:'+r['url'], h2t(r['html'])
    for f in ['cc_en_head-0091.dolma-tests.jsonl.gz','cc_en_head-0174.dolma-tests.jsonl.gz']:
        for l in gzip.open(base+'ccnet/'+f,'rt'):
            r=json.loads(l); yield 'cc:'+r['id'], r['text']
