"""Pure-regex port of spaCy 3.8 blank('en') tokenizer + sentencizer, as a Java port would do it."""
import json, re, unicodedata
D='/tmp/parity-spacy/'
P=json.load(open(D+'en_tokenizer_patterns.json'))
RULES=json.load(open(D+'en_tokenizer_exceptions.json'))
PRE=re.compile(P['prefix_search']); SUF=re.compile(P['suffix_search']); INF=re.compile(P['infix_finditer']); URL=re.compile(P['url_match'])
WS=set(chr(c) for c in [0x9,0xa,0xb,0xc,0xd,0x1c,0x1d,0x1e,0x1f,0x20,0x85,0xa0,0x1680]+list(range(0x2000,0x200b))+[0x2028,0x2029,0x202f,0x205f,0x3000])
def find_prefix(s):
    m=PRE.search(s); return m.end()-m.start() if m else 0
def find_suffix(s):
    m=SUF.search(s); return m.end()-m.start() if m else 0
def split_affixes(s, specials=True):
    pre=[]; suf=[]; last=0
    while s and len(s)!=last:
        if specials and s in RULES: break
        last=len(s)
        pl=find_prefix(s)
        if pl:
            prefix=s[:pl]; minus_pre=s[pl:]
            if minus_pre and specials and minus_pre in RULES:
                s=minus_pre; pre.append(prefix); break
        sl=find_suffix(s[pl:])
        if sl:
            suffix=s[-sl:]; minus_suf=s[:-sl]
            if minus_suf and specials and minus_suf in RULES:
                s=minus_suf; suf.append(suffix); break
        if pl and sl and pl+sl<=len(s):
            s=s[pl:-sl]; pre.append(prefix); suf.append(suffix)
        elif pl:
            s=minus_pre; pre.append(prefix)
        elif sl:
            s=minus_suf; suf.append(suffix)
    return s,pre,suf
def attach(s,pre,suf,specials=True):
    out=list(pre)
    if s:
        if specials and s in RULES: out+=RULES[s]
        elif URL.match(s): out.append(s)
        else:
            ms=list(INF.finditer(s))
            if not ms: out.append(s)
            else:
                start=0
                for m in ms:
                    a,b=m.start(),m.end()
                    if a==0: continue   # infix_start == start_before_infixes (0)
                    if a!=start: out.append(s[start:a])
                    if a!=b: out.append(s[a:b])
                    start=b
                if s[start:]: out.append(s[start:])
    out+=reversed(suf)
    return out
def tok_chunk(c, specials=True):
    if specials and c in RULES: return list(RULES[c])
    s,pre,suf=split_affixes(c,specials)
    return attach(s,pre,suf,specials)
# matcher pass: special cases that affix rules would split, matched as token sequences
MATCH={}
for k in RULES:
    if find_prefix(k) or INF.search(k) or find_suffix(k) or ' ' in k:
        seq=tuple(tok_chunk(k,False))
        MATCH.setdefault(seq,k)  # NB spaCy PhraseMatcher key is the token sequence
MAXL=max(len(x) for x in MATCH)
def chunks(text):
    """yield (chunk, is_ws) like spaCy: runs of isspace / non-space; a single ' ' after a token is dropped"""
    i=0;n=len(text)
    while i<n:
        j=i; w=text[i] in WS
        while j<n and (text[j] in WS)==w: j+=1
        yield text[i:j], w
        i=j
def tokenize_sp(text):
    """list of [token, trailing_single_space] exactly as spaCy's _tokenize_affixes"""
    toks=[]
    i=0; n=len(text); start=0
    if n==0: return toks
    in_ws=text[0] in WS
    for i,uc in enumerate(text):
        if (uc in WS)!=in_ws:
            if start<i:
                toks+=[[t,False] for t in (tok_chunk(text[start:i]) if not in_ws else [text[start:i]])]
            if uc==' ':
                if toks: toks[-1][1]=True
                start=i+1
            else:
                start=i
            in_ws=not in_ws
    if start<n:
        seg=text[start:]
        toks+=[[t,False] for t in (tok_chunk(seg) if not in_ws else [seg])]
        toks[-1][1]= text[-1]==' ' and not in_ws
    return toks
def tokenize(text, matcher=True):
    toks=tokenize_sp(text)
    if matcher: toks=apply_matcher(toks)
    return [t for t,_ in toks]
def apply_matcher(toks):
    texts=[t for t,_ in toks]
    cands=[]
    for i in range(len(toks)):
        for L in range(1,MAXL+1):
            if i+L>len(toks): break
            k=MATCH.get(tuple(texts[i:i+L]))
            if k is not None: cands.append((i,i+L))
    if not cands: return toks
    cands.sort(key=lambda x:(x[1]-x[0], -x[0]))  # len_start_cmp: by length, ties: earlier start wins
    seen=set(); keep=[]
    for a,b in reversed(cands):
        if a not in seen and (b-1) not in seen: keep.append((a,b))
        seen.update(range(a,b))
    keep.sort()
    out=[];i=0;ki=0
    while i<len(toks):
        if ki<len(keep) and keep[ki][0]==i:
            a,b=keep[ki]; ki+=1
            span=''.join(toks[j][0]+(' ' if toks[j][1] and j<b-1 else '') for j in range(a,b))
            if span in RULES:
                out+=[[t,False] for t in RULES[span]]; out[-1][1]=toks[b-1][1]
            else:
                out+=toks[a:b]
            i=b
        else: out.append(toks[i]); i+=1
    return out
def words(text):
    return [t.strip() for t in tokenize(text) if t.strip()]
PUNCT_CHARS=set(json.load(open(D+'sentencizer_punct_chars.json')))
def is_punct(t): return all(unicodedata.category(ch).startswith('P') for ch in t)
def n_sentences(text):
    toks=tokenize(text)
    if not toks: return 1
    n=1; seen=False
    for t in toks:
        inp=t in PUNCT_CHARS
        if seen and not is_punct(t) and not inp:
            n+=1; seen=False
        elif inp: seen=True
    return n
