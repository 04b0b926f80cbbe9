# The reference for `npm run bench:report`: counts the reasons of anomaly_trigger records by reason type
# (the text before " ("), the `triggers` object of `anomaly-guard report --json`. One pass, one process:
#   jq -n -c -f bench/trigger-reasons.jq LOG
reduce (inputs | select(.event == "anomaly_trigger") | .reasons[] | sub(" \\(.*"; "")) as $type ({}; .[$type] += 1)
