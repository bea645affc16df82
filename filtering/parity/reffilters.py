"""Spec of datatrove 0.10.0 Gopher quality/repetition, C4 quality, FineWeb quality (English), using the pure
tokenizer port reftok (no spaCy, no datatrove). Written to be ported line by line to Java."""
import re, collections, reftok, json
_P=json.load(open('/tmp/parity-spacy/datatrove_punctuation.json'))
PUNCTUATION_SET=set(map(chr,_P['PUNCTUATION_SET'])); TERMINAL_PUNCTUATION=set(map(chr,_P['TERMINAL_PUNCTUATION']))
WS=reftok.WS
def py_strip(s):
    a=0;b=len(s)
    while a<b and s[a] in WS: a+=1
    while b>a and s[b-1] in WS: b-=1
    return s[a:b]
def py_split(s):  # str.split() with no args
    out=[];cur=[]
    for ch in s:
        if ch in WS:
            if cur: out.append(''.join(cur)); cur=[]
        else: cur.append(ch)
    if cur: out.append(''.join(cur))
    return out
SPLITLINES=set('\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029')
def py_splitlines(s):
    out=[];i=0;start=0;n=len(s)
    while i<n:
        c=s[i]
        if c in SPLITLINES:
            out.append(s[start:i])
            if c=='\r' and i+1<n and s[i+1]=='\n': i+=1
            start=i+1
        i+=1
    if start<n: out.append(s[start:])
    return out
def count(s,sub): return s.count(sub)  # non-overlapping, left to right
def words(text): return reftok.words(text)

def gopher_quality(text):
    w=words(text); n=len(w)
    ns=[x for x in w if any(ch not in PUNCTUATION_SET for ch in x)]
    if len(ns)<50: return 'gopher_short_doc'
    if len(ns)>100000: return 'gopher_long_doc'
    avg=sum(len(x) for x in ns)/len(ns)
    if avg<3: return 'gopher_below_avg_threshold'
    if avg>10: return 'gopher_above_avg_threshold'
    if count(text,'#')/n>0.1: return 'gopher_too_many_hashes'
    if (count(text,'...')+count(text,'\u2026'))/n>0.1: return 'gopher_too_many_ellipsis'
    lines=py_splitlines(text)
    if sum(1 for s in lines if py_strip(s).startswith(('\u2022','-')))/len(lines)>0.9: return 'gopher_too_many_bullets'
    if sum(1 for s in lines if py_strip(s).endswith(('...','\u2026')))/len(lines)>0.3: return 'gopher_too_many_end_ellipsis'
    if sum(1 for x in w if any(c.isalpha() for c in x))/n<0.8: return 'gopher_below_alpha_threshold'
    if len({'the','be','to','of','and','that','have','with'} & set(w))<2: return 'gopher_enough_stop_words'
    return None

def find_duplicates(xs):
    seen=set(); de=0; dc=0
    for x in xs:
        if x in seen: de+=1; dc+=len(x)
        else: seen.add(x)
    return de,dc
def gopher_repetition(text):
    L=len(text)
    paras=re.split(r'\n{2,}', py_strip(text))
    pd,pc=find_duplicates(paras)
    if pd/len(paras)>0.3: return 'dup_para_frac'
    if pc/L>0.2: return 'dup_para_char_frac'
    lines=re.split(r'\n+', text)
    ld,lc=find_duplicates(lines)
    if ld/len(lines)>0.3: return 'dup_line_frac'
    if lc/L>0.2: return 'dup_line_char_frac'
    w=words(text)
    for n,fr in ((2,0.2),(3,0.18),(4,0.16)):
        if len(w)<n: continue
        cnt={}; 
        for i in range(len(w)-n+1):
            g=' '.join(w[i:i+n]); cnt[g]=cnt.get(g,0)+1
        best=None;bc=0
        for g,c in cnt.items():   # insertion order; first max wins
            if c>bc: best,bc=g,c
        if len(best)*bc/L>fr: return f'top_{n}_gram'
    for n,fr in ((5,0.15),(6,0.14),(7,0.13),(8,0.12),(9,0.11),(10,0.10)):
        seen=set(); rep=0; i=0
        while i<len(w)-n+1:
            g=''.join(w[i:i+n])
            if g in seen: rep+=len(g); i+=n
            else: seen.add(g); i+=1
        if rep/L>fr: return f'duplicated_{n}_n_grams'
    return None

CITATION=re.compile(r'\[\d*]|\[edit]|\[citation needed]')
POLICY=["terms of use","privacy policy","cookie policy","uses cookies","use of cookies","use cookies"]
def c4(text):
    ns=0
    for line in py_splitlines(text):
        line=py_strip(line); ws=py_split(line)
        if any(len(x)>1000 for x in ws): continue
        line=CITATION.sub('',line)
        if not line.endswith(('.','?','!','"',"'")) or line.endswith('...'): continue
        if len(ws)<3: continue
        low=line.lower()
        if 'lorem ipsum' in low: return 'lorem_ipsum'
        if 'javascript' in low: continue
        if '{' in line: return 'curly_bracket'
        if any(p in low for p in POLICY): continue
        ns+=reftok.n_sentences(line)
    if ns<5: return 'too_few_sentences'
    return None

STOP=tuple(TERMINAL_PUNCTUATION)
def fineweb(text):
    lines=[l for l in text.split('\n') if py_strip(l)!='']
    if not lines: return 'empty'
    if sum(1 for l in lines if l.endswith(STOP))/len(lines)<0.12: return 'line_punct_ratio'
    if sum(1 for l in lines if len(l)<=30)/len(lines)>0.67: return 'short_line_ratio'
    if find_duplicates(lines)[1]/len(text.replace('\n',''))>0.01: return 'char_dup_ratio'
    if text.count('\n')/len(words(text))>0.3: return 'list_ratio'
    return None
