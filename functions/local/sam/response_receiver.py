"""The CloudFormation side of a custom-resource event under `sam-local.sh invoke`, on 127.0.0.1.

    python3 response_receiver.py EVENT_IN EVENT_OUT ANSWER_FILE

A custom-resource event (the migration function's events/) is answered by a PUT to its pre-signed
S3 ResponseURL, not by the function's return value. Sent as it is, that PUT would leave the machine
for amazonaws.com (and be refused: the example's signature is not valid). This writes EVENT_OUT,
the event with its ResponseURL moved to a receiver on 127.0.0.1 (same path and query; the
function's container is on the host network), then serves that one PUT: its body goes to
ANSWER_FILE and the receiver exits. sam-local.sh prints the answer after SAM's output.
"""
import http.server
import json
import os
import sys
import threading
import urllib.parse


def main(event_in, event_out, answer_file):
    with open(event_in) as f:
        event = json.load(f)
    presigned = urllib.parse.urlsplit(event["ResponseURL"])

    class Answer(http.server.BaseHTTPRequestHandler):
        def do_PUT(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with open(answer_file, "wb") as f:
                f.write(body)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            threading.Thread(target=server.shutdown).start()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Answer)
    query = "?" + presigned.query if presigned.query else ""
    event["ResponseURL"] = f"http://127.0.0.1:{server.server_port}{presigned.path}{query}"
    with open(event_out + ".tmp", "w") as f:
        json.dump(event, f)
    os.replace(event_out + ".tmp", event_out)  # complete when it appears: sam-local.sh waits for it
    server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
