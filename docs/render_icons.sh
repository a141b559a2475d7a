#!/bin/sh
# Renders the PNG icons from icon.svg with Debian's Chromium (run in static/directory/icons).
set -e
shot() { # svg size out [transparent]
  printf '<html><body style="margin:0"><img src="file://%s" width="%s" height="%s" style="display:block"></body></html>' "$1" "$2" "$2" > /tmp/icon.html
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars ${4:+--default-background-color=00000000} \
    --window-size="$2,$2" --screenshot="$3" file:///tmp/icon.html 2>/dev/null
}
sed 's/rx="14" //' icon.svg > /tmp/icon-square.svg
sed -e 's/rx="14" //' -e 's|<circle cx="25"|<g transform="translate(32 32) scale(0.7) translate(-32 -32)"><circle cx="25"|' -e 's|</svg>|</g></svg>|' icon.svg > /tmp/icon-maskable.svg
shot "$PWD/icon.svg" 32 favicon-32.png transparent
shot "$PWD/icon.svg" 192 icon-192.png transparent
shot "$PWD/icon.svg" 512 icon-512.png transparent
shot /tmp/icon-square.svg 180 apple-touch-icon.png
shot /tmp/icon-maskable.svg 512 icon-maskable-512.png
