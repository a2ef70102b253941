"""make_typed.py OUT - a HAR whose entries carry HAR fields of the wrong
JSON type (content.text as an object, headers as an object, status as a
string) and a \\u0000 inside a URL, for tests/cli/har_import.sh."""
import json,sys
e=lambda url, **kw: dict({"startedDateTime":"2026-01-01T00:00:00Z","request":{"method":"GET","url":url,"headers":[]},"response":{"status":200,"headers":[],"content":{"mimeType":"text/html","text":"<p>x"}}}, **kw)
ents=[e("https://a.example/")]
x=e("https://a.example/obj.js"); x["response"]["content"]["text"]={"not":"a string"}; ents.append(x)
x=e("https://a.example/h"); x["request"]["headers"]={"Referer":"x"}; ents.append(x)
x=e("https://a.example/s"); x["response"]["status"]="200"; ents.append(x)
doc={"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":ents}}
s=json.dumps(doc).replace("https://a.example/h","https://a.example/h\\u0000tail")
open(sys.argv[1],"w").write(s)
