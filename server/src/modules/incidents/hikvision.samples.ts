// Hikvision EventNotificationAlert bodies as real cameras sent them, copied from public projects
// that captured them (test fixtures only). Kept as the cameras wrote them: the odd time offsets
// are the point.

/**
 * Firmware V5.3.0 build 150513 (namespace hikvision.com/ver10): a one-digit offset, "-8:00".
 * Source: scottlamb/moonfire-playground, camera-motion/src/hikvision.rs, test parse_boring_body.
 */
export const HIK_V5_VIDEOLOSS = `<EventNotificationAlert version="1.0" xmlns="http://www.hikvision.com/ver10/XMLSchema">
<ipAddress>192.168.5.106</ipAddress>
<portNo>80</portNo>
<protocol>HTTP</protocol>
<macAddress>8c:e7:48:da:94:8f</macAddress>
<channelID>1</channelID>
<dateTime>2016-12-24T18:59:49-8:00</dateTime>
<activePostCount>0</activePostCount>
<eventType>videoloss</eventType>
<eventState>inactive</eventState>
<eventDescription>videoloss alarm</eventDescription>
</EventNotificationAlert>`;

/**
 * Firmware V4.0.9 130306 (namespace std-cgi.com): minutes only, UTC ("2009-11-14T15:27Z") — a
 * camera whose clock was never set. An active motion alarm.
 * Source: scottlamb/moonfire-playground, camera-motion/src/hikvision.rs, test parse_interesting_body.
 */
export const HIK_V4_VMD = `<?xml version="1.0" encoding="UTF-8"?>
<EventNotificationAlert version="2.0" xmlns="http://www.std-cgi.com/ver10/XMLSchema">
<ipAddress>172.6.64.7</ipAddress>
<portNo>80</portNo>
<protocol>HTTP</protocol>
<macAddress>01:17:24:45:D9:F4</macAddress>
<channelID>1</channelID>
<dateTime>2009-11-14T15:27Z</dateTime>
<activePostCount>1</activePostCount>
<eventType>VMD</eventType>
<eventState>active</eventState>
<eventDescription>Motion alarm</eventDescription>
<DetectionRegionList>
<DetectionRegionEntry>
<regionID>2</regionID>
<sensitivityLevel>4</sensitivityLevel>
</DetectionRegionEntry>
</DetectionRegionList>
</EventNotificationAlert>
`;

/**
 * A DS-2CD2332-I's motion alarm with the sign written twice ("--8:00").
 * Source: jshank/ZoneMinderHikvisionTrigger, jshank_zm_HikvisionMotion.pl (a captured alert in a comment).
 */
export const HIK_DOUBLE_SIGN_VMD = `<EventNotificationAlert version="1.0" xmlns="http://www.hikvision.com/ver10/XMLSchema">
<ipAddress>10.1.10.23</ipAddress>
<portNo>80</portNo>
<protocol>HTTP</protocol>
<macAddress>c4:2f:90:27:19:e2</macAddress>
<channelID>1</channelID>
<dateTime>2015-06-24T19:37:22--8:00</dateTime>
<activePostCount>1</activePostCount>
<eventType>VMD</eventType>
<eventState>active</eventState>
<eventDescription>Motion alarm</eventDescription>
<DetectionRegionList>
</DetectionRegionList>
</EventNotificationAlert>`;

/**
 * ISAPI 2.0 (namespace hikvision.com/ver20), offset "+00:00", no MAC.
 * Source: mezz64/pyHik, test/test_hikvision.py, ALERT_XML (eventType VMD, extra empty).
 */
export const PYHIK_ALERT = `<EventNotificationAlert xmlns="http://www.hikvision.com/ver20/XMLSchema" version="2.0">
<ipAddress>192.168.1.100</ipAddress>
<protocolType>HTTP</protocolType>
<channelID>1</channelID>
<dateTime>2026-06-08T12:00:00+00:00</dateTime>
<activePostCount>1</activePostCount>
<eventType>VMD</eventType>
<eventState>active</eventState>
<eventDescription>Motion alarm</eventDescription>

</EventNotificationAlert>`;

/** The same alert with another dateTime (the samples' times are years old; a test needs "now"). */
export const withTime = (xml: string, dateTime: string) => xml.replace(/<dateTime>[^<]*<\/dateTime>/, `<dateTime>${dateTime}</dateTime>`);
