import corpus, reffilters as R, random, sys, collections
from datatrove.data import Document
from datatrove.pipeline.filters import GopherQualityFilter, GopherRepetitionFilter, C4QualityFilter, FineWebQualityFilter
F={'gq':(GopherQualityFilter(),R.gopher_quality),'gr':(GopherRepetitionFilter(),R.gopher_repetition),'c4':(C4QualityFilter(),R.c4),'fw':(FineWebQualityFilter(),R.fineweb)}
docs=list(corpus.docs()); random.seed(0); random.shuffle(docs)
lim=int(sys.argv[1]); mism=collections.Counter(); ex=[]; reasons=collections.Counter(); n=0
for did,t in docs[:lim]:
    if not t: continue
    n+=1
    for k,(f,r) in F.items():
        res=f.filter(Document(text=t,id=did))
        a=None if res is True else res[1]
        b=r(t)
        reasons[(k,a)]+=1
        if a!=b: mism[k]+=1; ex.append((k,did,a,b))
print('docs',n,'mismatches',dict(mism)); print(sorted(reasons.items(),key=str)); print(ex[:20])
