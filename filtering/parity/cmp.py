import spacy, corpus, reftok, sys, random
nlp=spacy.blank('en'); nlp.add_pipe('sentencizer')
docs=list(corpus.docs()); random.seed(0); random.shuffle(docs)
lim=int(sys.argv[1]); use_m=sys.argv[2]=='1'
bad=0; badn=0; tot=0; ex=[]
sbad=0; slines=0
for did,t in docs[:lim]:
    if len(t)>400000: continue
    nlp.max_length=len(t)+10
    d=nlp(t)
    sp=[x.text for x in d]
    me=reftok.tokenize(t, use_m)
    tot+=1
    if sp!=me:
        bad+=1
        # first diff
        import difflib
        sm=difflib.SequenceMatcher(a=sp,b=me,autojunk=False)
        for op in sm.get_opcodes():
            if op[0]!='equal': ex.append((did, sp[op[1]-2:op[2]+2], me[op[3]-2:op[4]+2])); break
    for line in t.splitlines()[:50]:
        line=line.strip()
        if not line: continue
        slines+=1
        a=len(list(nlp(line).sents)); b=reftok.n_sentences(line)
        if a!=b: sbad+=1; ex.append(('SENT',line[:100],a,b))
print('docs',tot,'token-seq mismatches',bad,'sent lines',slines,'sent mismatches',sbad)
for e in ex[:30]: print(e)
